"""The pages for what was API-only: a new organisation (under a parent, placed in an area,
with its treasurer), a member added to a branch by the document of a registered person,
an applicant entered into the development pipeline. Each calls the API's service; each
refusal is shown next to its field and listed with the field's Chinese label; another
community's treasurer gets 404 or a refusal that tells nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.party.models import Candidate, Member, Organisation, Stage
from tests.conftest import WANPING, ZHENGUOSI, World
from tests.english import english
from tests.factories import make_person, valid_id
from tests.party.conftest import Party


def _text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_a_treasurer_creates_a_branch_from_the_page(world: World, party: Party) -> None:
    c = world.client(party.treasurer)
    form = c.get(f"/party/orgs/new/?parent={party.community.pk}")
    assert form.status_code == 200 and "上级党组织" in _text(form) and "收款人" in _text(form)
    # The community page links here; a branch page links to its roll instead.
    assert "/party/orgs/new/?parent=" in _text(c.get(f"/party/orgs/{party.community.pk}/"))
    assert f"/party/orgs/{party.branch1.pk}/members/" in _text(
        c.get(f"/party/orgs/{party.branch1.pk}/")
    )
    made = c.post(
        f"/party/orgs/new/?parent={party.community.pk}",
        {"parent": party.community.pk, "name": "第三党支部", "kind": "branch",
         "area": world.areas[WANPING].pk, "treasurer": party.treasurer.pk},
    )  # fmt: skip
    org = Organisation.objects.get(name="第三党支部")
    assert made.status_code == 302 and made["Location"] == f"/party/orgs/{org.pk}/"
    assert org.parent == party.community and org.treasurer == party.treasurer
    assert org.path == f"{party.community.path}{org.pk}/"
    assert AuditEvent.objects.filter(detail="party org created (branch)").exists()


def test_org_refusals_name_the_field(world: World, party: Party) -> None:
    c = world.client(party.treasurer)
    base = {"parent": party.community.pk, "area": world.areas[WANPING].pk}
    wrong_kind = c.post("/party/orgs/new/", {**base, "name": "新党委", "kind": "community"})
    assert wrong_kind.status_code == 400
    assert 'data-error-for="kind"' in _text(wrong_kind) and "类型：" in _text(wrong_kind)
    twice = c.post("/party/orgs/new/", {**base, "name": "第一党支部", "kind": "branch"})
    assert twice.status_code == 400 and 'data-error-for="name"' in _text(twice)
    assert "名称：" in _text(twice) and "已有同名党组织" in _text(twice)
    empty = c.post("/party/orgs/new/", {**base, "name": "", "kind": "branch"})
    assert empty.status_code == 400 and "名称：" in _text(empty)
    no_parent = c.post(
        "/party/orgs/new/", {"area": world.areas[WANPING].pk, "name": "支部", "kind": "branch"}
    )
    assert no_parent.status_code == 400 and "上级党组织：" in _text(no_parent)
    assert Organisation.objects.count() == 8
    # In English, the field and the reason both.
    en = english(world, party.treasurer).post(
        "/party/orgs/new/", {**base, "name": "第一党支部", "kind": "branch"}
    )
    assert en.status_code == 400 and "Name:" in _text(en) and "already" in _text(en)


def test_org_page_is_scoped(world: World, party: Party) -> None:
    c = world.client(party.zg_treasurer)
    assert c.get(f"/party/orgs/new/?parent={party.community.pk}").status_code == 404
    # Wanping's organisations and areas are not among the choices either.
    page = _text(c.get("/party/orgs/new/"))
    assert "宛平城社区党委" not in page and "镇国寺社区党委" in page
    sneaked = c.post(
        "/party/orgs/new/",
        {"parent": party.community.pk, "name": "X支部", "kind": "branch",
         "area": world.areas[ZHENGUOSI].pk},
    )  # fmt: skip
    assert sneaked.status_code == 400 and "上级党组织：" in _text(sneaked)
    assert not Organisation.objects.filter(name="X支部").exists()
    # An officer reads the party pages but does not create.
    assert world.client(world.wanping_officer).get("/party/orgs/new/").status_code == 403


def test_a_member_is_added_by_document(world: World, party: Party) -> None:
    number = valid_id()
    person = make_person(world.wanping_worker, world.areas[WANPING], "李红", document_number=number)
    c = world.client(party.treasurer)
    url = f"/party/orgs/{party.branch2.pk}/members/"
    page = c.get(url)
    assert page.status_code == 200 and "证件号码" in _text(page)
    added = c.post(
        url, {"document_type": "resident_id", "document_number": number, "joined_on": "2001-07-01"}
    )
    assert added.status_code == 302
    member = Member.objects.get(person=person)
    assert member.branch == party.branch2 and member.joined_on == dt.date(2001, 7, 1)
    assert "李红" in _text(c.get(url))
    again = c.post(url, {"document_type": "resident_id", "document_number": number})
    assert again.status_code == 400 and 'data-error-for="document_number"' in _text(again)
    assert "证件号码：" in _text(again) and "已是" in _text(again)


def test_member_refusals_name_the_document(world: World, party: Party) -> None:
    c = world.client(party.treasurer)
    url = f"/party/orgs/{party.branch1.pk}/members/"
    bad = c.post(url, {"document_type": "resident_id", "document_number": "12345"})
    assert bad.status_code == 400 and "证件号码：" in _text(bad)
    unknown = c.post(url, {"document_type": "resident_id", "document_number": valid_id()})
    assert unknown.status_code == 400 and 'data-error-for="document_number"' in _text(unknown)
    # Registered in another community: the same answer as no one, and no name.
    number = valid_id()
    make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "赵远", document_number=number)
    elsewhere = c.post(url, {"document_type": "resident_id", "document_number": number})
    assert elsewhere.status_code == 400 and "赵远" not in _text(elsewhere)
    assert _text(elsewhere).count("没有以此证件登记的人员") == _text(unknown).count(
        "没有以此证件登记的人员"
    )
    # Only branches have a roll; another community's treasurer gets 404; officers read.
    assert c.get(f"/party/orgs/{party.community.pk}/members/").status_code == 404
    assert world.client(party.zg_treasurer).get(url).status_code == 404
    officer = world.client(world.wanping_officer)
    assert officer.get(url).status_code == 200
    assert officer.post(url, {"document_number": number}).status_code == 403
    assert Member.objects.count() == 6


def test_the_api_adds_by_document_too(world: World, party: Party) -> None:
    number = valid_id()
    person = make_person(world.wanping_worker, world.areas[WANPING], "钱多", document_number=number)
    api = world.api(party.treasurer)
    made = api.post(
        "/api/v1/party/members/",
        {"branch": party.branch1.pk, "document_number": number},
        format="json",
    )
    assert made.status_code == 201 and made.json()["person"] == person.pk
    neither = api.post("/api/v1/party/members/", {"branch": party.branch1.pk}, format="json")
    assert neither.status_code == 400 and neither.json()["errors"][0]["field"] == "person"
    applicant = valid_id()
    make_person(world.wanping_worker, world.areas[WANPING], "孙立", document_number=applicant)
    applied = api.post(
        "/api/v1/party/candidates/",
        {"branch": party.branch1.pk, "document_number": applicant,
         "applied_on": timezone.localdate().isoformat()},
        format="json",
    )  # fmt: skip
    assert applied.status_code == 201 and applied.json()["stage"] == "applicant"


def test_an_applicant_enters_the_pipeline_from_the_page(world: World, party: Party) -> None:
    number = valid_id()
    make_person(world.wanping_worker, world.areas[WANPING], "杨桐", document_number=number)
    c = world.client(party.treasurer)
    dev = f"/party/orgs/{party.branch1.pk}/development/"
    assert "登记入党申请" in _text(c.get(dev))
    url = f"/party/orgs/{party.branch1.pk}/candidates/new/"
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    late = c.post(url, {"document_type": "resident_id", "document_number": number,
                        "applied_on": future})  # fmt: skip
    assert late.status_code == 400 and 'data-error-for="applied_on"' in _text(late)
    assert "递交申请书：" in _text(late)
    made = c.post(
        url,
        {"document_type": "resident_id", "document_number": number,
         "applied_on": timezone.localdate().isoformat(), "frontline": "on"},
        follow=True,
    )  # fmt: skip
    assert made.status_code == 200 and "杨桐" in _text(made)
    candidate = Candidate.objects.get(person__name="杨桐")
    assert candidate.stage == Stage.APPLICANT and candidate.frontline
    twice = c.post(url, {"document_type": "resident_id", "document_number": number,
                         "applied_on": timezone.localdate().isoformat()})  # fmt: skip
    assert twice.status_code == 400 and "证件号码：" in _text(twice)
    assert "已在发展名单中" in _text(twice)
    # Another community's treasurer gets 404.
    assert world.client(party.zg_treasurer).post(url, {}).status_code == 404
