"""The pages of passes and gates in English: once the names, places and notes of the test
are taken out, no Chinese is left in the page's own part (the menu and footer are base.html's).
The guard's page also carries its script's texts in English."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from fangkong.access.models import GateReferral, Visit
from fangkong.access.services import visit_register
from fangkong.registry.models import Person
from tests.access.conftest import CHENGNEI, Post
from tests.english import chinese_left, english, world_data
from tests.factories import make_person, valid_id

VISITOR = "自来水公司维修工"


@pytest.fixture
def busy(post: Post) -> Post:
    """A day at the gate: admitted, a fever, a forged pass, an unannounced returnee handed
    to the community, a visitor."""
    post.check()
    post.check(temperature=38.0)
    post.check(pass_token="forged", direction="out")
    document = valid_id(901)
    make_person(
        post.world.wanping_worker,
        post.world.areas[CHENGNEI],
        "返京租户",
        document_number=document,
        whereabouts="not_back",
        away_from="河南省",
    )
    check_id = str(uuid.uuid4())
    post.check(check_id=check_id, document_number=document)
    body = {"check_id": check_id, "name": "返京租户", "note": "自述从河南返京"}
    assert (
        post.world.api(post.world.guard)
        .post("/api/v1/gate-referrals/", body, format="json")
        .status_code
        == 201
    )
    post.check(pass_token="not-a-real-pass", temperature=38.1)  # a fever referral
    visit_register(
        actor=post.world.guard,
        gate=post.gate,
        kind="visitor",
        reason="repair",
        name=VISITOR,
        phone="",
        destination="城内街12号院",
        plate="",
        temperature="36.5",
    )
    return post


def data(post: Post) -> list[str]:
    found = [*world_data(post.world), post.gate.name, post.qiaoxi_gate.name]
    found += [post.zhenguosi_gate.name, post.resident.name, "城内街12号院", VISITOR]
    found += ["返京租户", "自述从河南返京", "河南省"]
    found += [r.note for r in GateReferral.objects.all()]
    found += [str(v.policy.label) for v in Visit.objects.all() if v.policy]
    found += [p.masked_name for p in Person.objects.all()]
    return found


def pages(post: Post) -> dict[str, str]:
    person = post.resident.pk
    return {
        "passes": "/access/passes/",
        "pass": f"/access/passes/{post.card.pk}/",
        "pass-new": "/access/passes/new/",
        "pass-new-find": "/access/passes/new/?q=李建国",
        "pass-new-person": f"/access/passes/new/?person={person}",
        "gates": "/access/gates/",
        "gate": f"/access/gates/{post.gate.pk}/",
        "checks": "/access/checks/",
        "referrals": "/access/referrals/?state=all",
        "visits": "/access/visits/",
        "movements": f"/access/people/{person}/movements/",
        "print": f"/access/passes/print/?ids={post.card.pk}",
    }


def test_the_office_pages_are_english(busy: Post) -> None:
    client = english(busy.world, busy.world.wanping_worker)
    left = {}
    for name, url in pages(busy).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        left[name] = chinese_left(html, data(busy))
    assert not any(left.values()), {k: v for k, v in left.items() if v}


def test_the_guards_pages_are_english(busy: Post) -> None:
    client = english(busy.world, busy.world.guard)
    gate = client.get("/access/gate/").content.decode()
    assert chinese_left(gate, data(busy)) == []
    assert ">Check</button>" in gate
    texts = json.loads(re.search(r'id="gate-texts"[^>]*>(.*?)</script>', gate, re.S).group(1))  # type: ignore[union-attr]
    assert texts["admit"] == "Admitted" and texts["deny"] == "Denied"
    assert not any(re.search("[\u4e00-\u9fff]", text) for text in texts.values())
    visit = Visit.objects.get()
    page = client.get(f"/access/gate/visit/?visit={visit.pk}").content.decode()
    assert chinese_left(page, data(busy)) == []


def test_the_guards_page_in_chinese_is_as_before(post: Post) -> None:
    page = post.world.client(post.world.guard).get("/access/gate/").content.decode()
    assert '<html lang="zh-Hans">' in page and "<title>门岗查验</title>" in page
    texts = json.loads(re.search(r'id="gate-texts"[^>]*>(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert texts["admit"] == "通行" and texts["deny"] == "禁止通行" and texts["sep"] == "、"
