"""Advance notices, the policy decision, observation-condition inspections, responsibility
letters, spot checks and unannounced arrivals — the 宛平城 stories of the source page, told
on 2 March 2020 (a Monday): the subway-line-16 contractor's 6 workers from 河南 arriving next
week, tenants of the bungalow zones, a returnee from 湖北 who must wait."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.arrivals.inspections.services import (
    inspection_record,
    letter_sign,
    spot_check_record,
    spot_checks_schedule,
)
from fangkong.arrivals.models import (
    CHECKLISTS,
    ArrivalNotice,
    Decision,
    FiledBy,
    InspectionMember,
    NoticeStatus,
    ObservationMode,
    SpotCheck,
    SpotCheckResult,
)
from fangkong.arrivals.notices import public as public_notices
from fangkong.arrivals.notices.selectors import (
    notice_link_token,
    notice_next_step,
    notice_reference,
    notices_counted,
)
from fangkong.arrivals.notices.services import notice_file, notice_reschedule, unannounced_register
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.policy.models import OriginRisk
from fangkong.policy.selectors import policy_in_force
from fangkong.policy.services import POLICY_2020, policy_publish, policy_seed_2020
from fangkong.registry.models import Person, Residence, ResidenceKind, Residency, Whereabouts
from fangkong.units.models import Unit, UnitKind
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World, make_account
from tests.factories import make_person, valid_id, valid_mobile

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2020, 3, 2)
NEXT_WEEK = dt.date(2020, 3, 9)

# The joint team of the construction-site story: 冯佳 and the five roles the page names.
JOINT_TEAM = [
    {"name": "冯佳", "role": "社区主任"},
    {"name": "张建国", "role": "地区开复工组"},
    {"name": "刘芳", "role": "医护人员"},
    {"name": "赵强", "role": "管片民警"},
    {"name": "孙丽", "role": "社区专员"},
    {"name": "周明", "role": "包片社区干部"},
]
ALL_UNIT_ITEMS = dict.fromkeys(CHECKLISTS[ObservationMode.UNIT], True)
ALL_HOME_ITEMS = dict.fromkeys(CHECKLISTS[ObservationMode.HOME], True)


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wanping(world: World) -> World:
    policy_seed_2020()  # a transactional test before this one may have flushed it
    return world


@pytest.fixture
def site(wanping: World) -> Unit:
    return Unit.objects.create(
        area=wanping.areas[WANPING],
        name="地铁16号线施工项目部",
        kind=UnitKind.CONSTRUCTION_SITE,
        contact_name="王经理",
        contact_phone_masked="138****1616",
    )


def workers(n: int, *, start: int = 500, region: str = "411502") -> list[dict[str, str]]:
    """People from 河南省信阳市, as an employer lists them."""
    return [
        {
            "name": f"工人{i + 1}",
            "document_type": "resident_id",
            "document_number": valid_id(start + i, region=region),
            "phone": valid_mobile(start + i),
        }
        for i in range(n)
    ]


def errors_by_field(response: Any) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


def file_notice(world: World, user: User, **over: Any) -> Any:
    body: dict[str, Any] = {
        "area": WANPING_ZONE,
        "filed_by": FiledBy.RETURNEE,
        "filer_name": "李明",
        "filer_phone": "13800002001",
        "origin_code": "130000",
        "planned_on": "2020-03-05",
        "mode": ObservationMode.HOME,
        "building": "城内街12号院",
        "room": "西厢房",
        "people": workers(1, start=600, region="130602"),
        **over,
    }
    return world.api(user).post("/api/v1/arrival-notices/", body, format="json")


def inspect(world: World, user: User, notice_id: int, **over: Any) -> Any:
    body: dict[str, Any] = {
        "checklist": ALL_HOME_ITEMS,
        "team": [{"name": "周明", "role": "包片社区干部"}, {"name": "刘芳", "role": "医护人员"}],
        "inspected_on": "2020-03-02",
        **over,
    }
    return world.api(user).post(
        f"/api/v1/arrival-notices/{notice_id}/inspections/", body, format="json"
    )


# --- the construction-site story ---------------------------------------------------------


def test_the_construction_site_story_from_notice_to_spot_check(
    wanping: World, site: Unit, clock: Any
) -> None:
    api = wanping.api(wanping.wanping_worker)
    # "下周有 6 位工作人员将返京回到辖区内的施工工地" — the contractor calls, the worker files.
    response = api.post(
        "/api/v1/arrival-notices/",
        {
            "area": WANPING,
            "filed_by": FiledBy.EMPLOYER,
            "filer_name": "施工单位负责人",
            "filer_phone": "13800001616",
            "origin_code": "410000",
            "origin_name": "河南省信阳市",
            "planned_on": str(NEXT_WEEK),
            "mode": ObservationMode.UNIT,
            "unit": site.pk,
            "people": workers(6),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == NoticeStatus.INSPECTION and body["decision"] == Decision.OBSERVE
    assert body["observation_days"] == 14
    assert body["policy"]["label"] == POLICY_2020["label"]
    assert body["people_count"] == 6 and body["unit_name"] == "地铁16号线施工项目部"
    number = workers(6)[0]["document_number"]
    assert body["people"][0]["document_number"] == number[:6] + "********" + number[-4:]
    assert number not in response.content.decode()
    assert "开复工组" in body["next_step"]
    # Confirmed at once: the six are in the registry as migrants employed by the site.
    six = Person.objects.filter(employer=site)
    assert six.count() == 6
    assert set(six.values_list("residency", "whereabouts", "area__code")) == {
        (Residency.MIGRANT, Whereabouts.NOT_BACK, WANPING)
    }
    notice_id = body["id"]

    # The joint team finds an independent building, separate rooms, toilet and shower,
    # meals supplied, no need to leave: it passes — but READY waits for the letter.
    inspection = api.post(
        f"/api/v1/arrival-notices/{notice_id}/inspections/",
        {"checklist": ALL_UNIT_ITEMS, "team": JOINT_TEAM, "inspected_on": "2020-03-02"},
        format="json",
    )
    assert inspection.status_code == 201, inspection.json()
    assert inspection.json()["result"] == "pass"
    assert [m["role"] for m in inspection.json()["team"]][1:] == [
        "地区开复工组",
        "医护人员",
        "管片民警",
        "社区专员",
        "包片社区干部",
    ]
    detail = api.get(f"/api/v1/arrival-notices/{notice_id}/").json()
    assert detail["status"] == NoticeStatus.INSPECTION
    assert "责任书" in detail["next_step"]

    # 《疫情防控责任书》 signed → READY.
    letter = api.post(
        f"/api/v1/arrival-notices/{notice_id}/letter/",
        {"signed_on": "2020-03-02", "unit_signatory": "王经理", "community_signatory": "冯佳"},
        format="json",
    )
    assert letter.status_code == 201, letter.json()
    detail = api.get(f"/api/v1/arrival-notices/{notice_id}/").json()
    assert detail["status"] == NoticeStatus.READY
    assert detail["letter"]["unit_name"] == "地铁16号线施工项目部"
    assert "第 1 天" in detail["next_step"]

    # Unannounced spot checks on random days of the window (day 2 .. day 14).
    planned = api.post(
        f"/api/v1/arrival-notices/{notice_id}/spot-checks/", {"count": 3, "seed": 16}, format="json"
    )
    assert planned.status_code == 201, planned.json()
    dates = [dt.date.fromisoformat(c["scheduled_on"]) for c in planned.json()]
    assert len(set(dates)) == 3 and dates == sorted(dates)
    assert all(dt.date(2020, 3, 10) <= d <= dt.date(2020, 3, 22) for d in dates)
    again = spot_checks_schedule(notice=ArrivalNotice.objects.get(pk=notice_id), count=3, seed=16)
    assert [c.scheduled_on for c in again] == dates  # a seed makes the draw repeatable

    # On the first of those days a worker checks and records it.
    first = SpotCheck.objects.filter(notice_id=notice_id).order_by("scheduled_on").first()
    assert first is not None
    clock.move_to(dt.datetime.combine(first.scheduled_on, dt.time(15), tzinfo=SH))
    done = api.post(
        f"/api/v1/spot-checks/{first.pk}/",
        {"done_on": str(first.scheduled_on), "result": SpotCheckResult.COMPLIANT},
        format="json",
    )
    assert done.status_code == 200, done.json()
    listed = api.get(f"/api/v1/arrival-notices/{notice_id}/spot-checks/").json()
    assert [c["result"] for c in listed].count(SpotCheckResult.COMPLIANT) == 1
    twice = api.post(
        f"/api/v1/spot-checks/{first.pk}/",
        {"done_on": str(first.scheduled_on), "result": SpotCheckResult.COMPLIANT},
        format="json",
    )
    assert twice.status_code == 400 and errors_by_field(twice) == {"check": "already_recorded"}

    # The page tells the same story, people masked, with the team by name and role.
    page = wanping.client(wanping.wanping_worker).get(f"/arrivals/notices/{notice_id}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "可以返京" in text and "管片民警 赵强" in text and "王经理" in text
    assert number not in text and number[:6] + "********" + number[-4:] in text
    assert (
        AuditEvent.objects.filter(action=AuditAction.CHANGE, object_id=str(notice_id)).count() >= 4
    )


def test_a_unit_inspection_needs_a_letter_and_a_problem_needs_findings(
    wanping: World, site: Unit
) -> None:
    worker = wanping.wanping_worker
    notice = notice_file(
        actor=worker,
        area=wanping.areas[WANPING],
        filed_by=FiledBy.EMPLOYER,
        filer_name="王经理",
        origin_code="410000",
        planned_on=NEXT_WEEK,
        mode=ObservationMode.UNIT,
        unit=site,
        people=workers(2),
    )
    with pytest.raises(ValidationError) as err:
        spot_checks_schedule(notice=notice, count=1)
    assert "notice" in err.value.message_dict  # no letter, no spot checks
    letter_sign(
        actor=worker,
        notice=notice,
        signed_on=TODAY,
        unit_signatory="王经理",
        community_signatory="冯佳",
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.INSPECTION  # signed, but the site is not inspected yet
    inspection_record(
        actor=worker,
        notice=notice,
        kind=ObservationMode.UNIT,
        checklist=ALL_UNIT_ITEMS,
        team=[("冯佳", "社区主任")],
        inspected_on=TODAY,
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.READY
    with pytest.raises(ValidationError) as err:
        letter_sign(
            actor=worker,
            notice=notice,
            signed_on=TODAY,
            unit_signatory="x",
            community_signatory="y",
        )
    assert err.value.message_dict["notice"] == ["这份报备的责任书已经签订"]
    with pytest.raises(ValidationError) as err:
        spot_checks_schedule(notice=notice, count=20)
    assert "count" in err.value.message_dict
    check = spot_checks_schedule(notice=notice, count=1, seed=1)[0]
    with pytest.raises(ValidationError) as err:
        spot_check_record(
            actor=worker,
            check=check,
            done_on=check.scheduled_on,
            result=SpotCheckResult.PROBLEM,
            today=check.scheduled_on,
        )
    assert "findings" in err.value.message_dict
    spot_check_record(
        actor=worker,
        check=check,
        done_on=check.scheduled_on,
        result=SpotCheckResult.PROBLEM,
        findings="有 1 人到楼外取快递",
        today=check.scheduled_on,
    )
    check.refresh_from_db()
    assert check.result == SpotCheckResult.PROBLEM and check.checked_by == worker


# --- 宛平城 tenants --------------------------------------------------------------------------


def test_a_tenant_whose_home_passes_may_return(wanping: World) -> None:
    landlord_filed = file_notice(wanping, wanping.wanping_worker, filed_by=FiledBy.LANDLORD)
    assert landlord_filed.status_code == 201, landlord_filed.json()
    notice_id = landlord_filed.json()["id"]
    tenant = Person.objects.get(arrival_notices__notice_id=notice_id)
    home = Residence.objects.get(person=tenant, until__isnull=True)
    assert (home.kind, str(home.address)) == (ResidenceKind.TENANT, "城内街12号院 西厢房")
    assert tenant.residency == Residency.MIGRANT
    response = inspect(wanping, wanping.wanping_worker, notice_id)
    assert response.status_code == 201 and response.json()["result"] == "pass"
    assert ArrivalNotice.objects.get(pk=notice_id).status == NoticeStatus.READY


def test_a_tenant_whose_home_fails_is_told_to_find_a_place_or_delay(wanping: World) -> None:
    notice_id = file_notice(wanping, wanping.wanping_worker, filed_by=FiledBy.LANDLORD).json()["id"]
    shared_toilet = {**ALL_HOME_ITEMS, "own_toilet": False}
    no_reason = inspect(wanping, wanping.wanping_worker, notice_id, checklist=shared_toilet)
    assert no_reason.status_code == 400 and errors_by_field(no_reason) == {"reasons": "required"}
    failed = inspect(
        wanping,
        wanping.wanping_worker,
        notice_id,
        checklist=shared_toilet,
        reasons="与房东一家共用卫生间",
    )
    assert failed.status_code == 201 and failed.json()["result"] == "fail"
    detail = wanping.api(wanping.wanping_worker).get(f"/api/v1/arrival-notices/{notice_id}/").json()
    assert detail["status"] == NoticeStatus.FAILED
    assert "与房东一家共用卫生间" in detail["next_step"]
    assert "另找符合条件的住所" in detail["next_step"] and "延后返京" in detail["next_step"]
    # A letter makes no sense for a failed place; another place means another inspection.
    notice = ArrivalNotice.objects.get(pk=notice_id)
    moved = notice_reschedule(
        actor=wanping.wanping_worker, notice=notice, building="城内街20号院", room="东屋"
    )
    assert moved.status == NoticeStatus.INSPECTION and str(moved.address) == "城内街20号院 东屋"
    page = wanping.client(wanping.wanping_worker).get(f"/arrivals/notices/{notice_id}/").content
    assert "与房东一家共用卫生间" in page.decode()


def test_unknown_checklist_items_and_an_empty_team_are_named(wanping: World) -> None:
    notice_id = file_notice(wanping, wanping.wanping_worker).json()["id"]
    response = inspect(
        wanping,
        wanping.wanping_worker,
        notice_id,
        checklist={"own_room": True, "garden": True},
        team=[],
    )
    assert response.status_code == 400
    fields = errors_by_field(response)
    assert fields["checklist.garden"] == "unknown_item" and fields["team"] == "required"
    assert fields["reasons"] == "required"  # own_toilet etc. were not ticked
    wrong_kind = inspect(wanping, wanping.wanping_worker, notice_id, kind="unit")
    assert errors_by_field(wrong_kind) == {"kind": "wrong_kind"}


# --- the policy decides ----------------------------------------------------------------------


def test_a_returnee_from_hubei_must_delay_and_the_policy_version_is_recorded(
    wanping: World,
) -> None:
    response = file_notice(
        wanping,
        wanping.wanping_worker,
        origin_code="420100",
        origin_name="湖北省武汉市",
        people=workers(1, start=800, region="420102"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    in_force = policy_in_force(on=dt.date(2020, 3, 5))
    assert body["status"] == NoticeStatus.MUST_DELAY
    assert body["decision"] == Decision.MUST_NOT_RETURN and body["observation_days"] is None
    assert body["policy"] == {
        "id": in_force.pk,
        "label": in_force.label,
        "effective_from": str(in_force.effective_from),
    }
    assert "暂缓返京" in body["next_step"] and "湖北省武汉市" in body["next_step"]
    # No inspection for someone who may not come.
    assert inspect(wanping, wanping.wanping_worker, body["id"]).status_code == 400
    # A later policy lets 湖北 return with observation; a new date is decided by it.
    later = policy_publish(
        rules=[("*", "其他地区", OriginRisk.OBSERVE)],
        **{**POLICY_2020, "label": "2020 年 4 月调整", "effective_from": dt.date(2020, 4, 8)},
    )
    notice = notice_reschedule(
        actor=wanping.wanping_worker,
        notice=ArrivalNotice.objects.get(pk=body["id"]),
        planned_on=dt.date(2020, 4, 10),
    )
    assert (notice.decision, notice.status, notice.policy) == (
        Decision.OBSERVE,
        NoticeStatus.INSPECTION,
        later,
    )


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned_on", "code"),
    [("2020-03-01", "past"), ("2020-06-01", "too_far")],  # yesterday; 91 days ahead
)
def test_a_planned_date_in_the_past_or_beyond_90_days_is_refused(
    wanping: World, planned_on: str, code: str
) -> None:
    response = file_notice(wanping, wanping.wanping_worker, planned_on=planned_on)
    assert response.status_code == 400
    assert errors_by_field(response) == {"planned_on": code}
    assert not ArrivalNotice.objects.exists()


def test_today_and_the_90th_day_are_accepted(wanping: World) -> None:
    assert file_notice(wanping, wanping.wanping_worker, planned_on="2020-03-02").status_code == 201
    last = file_notice(
        wanping, wanping.wanping_worker, planned_on="2020-05-31", people=workers(1, start=610)
    )
    assert last.status_code == 201, last.json()


def test_a_group_with_no_people_is_refused(wanping: World, site: Unit) -> None:
    response = file_notice(
        wanping, wanping.wanping_worker, mode=ObservationMode.UNIT, unit=site.pk, people=[]
    )
    assert response.status_code == 400 and errors_by_field(response) == {"people": "required"}


def test_each_bad_person_is_named_by_row_and_field(wanping: World) -> None:
    people = workers(3)
    people[0]["phone"] = "12345"
    people[2]["document_number"] = people[2]["document_number"][:-1] + (
        "0" if people[2]["document_number"][-1] != "0" else "1"
    )
    people.append(dict(people[1]))
    response = file_notice(wanping, wanping.wanping_worker, people=people)
    assert response.status_code == 400
    fields = errors_by_field(response)
    assert fields == {
        "people.0.phone": "invalid_phone",
        "people.2.document_number": "check_digit",
        "people.3.document_number": "duplicate",
    }
    reasons = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert reasons["people.2.document_number"].startswith("第 3 人：")


def test_origins_and_places_are_checked(wanping: World) -> None:
    beijing = file_notice(wanping, wanping.wanping_worker, origin_code="110105")
    assert errors_by_field(beijing) == {"origin_code": "not_an_origin"}
    nowhere = file_notice(wanping, wanping.wanping_worker, origin_code="990000")
    assert errors_by_field(nowhere) == {"origin_code": "invalid"}
    homeless = file_notice(wanping, wanping.wanping_worker, building="")
    assert errors_by_field(homeless) == {"building": "required"}
    unitless = file_notice(wanping, wanping.wanping_worker, mode=ObservationMode.UNIT)
    assert errors_by_field(unitless) == {"unit": "required"}
    street = file_notice(wanping, wanping.wanping_worker, area="110106014")
    assert street.status_code == 400 and "area" in errors_by_field(street)


# --- territory ---------------------------------------------------------------------------------


def test_an_inspection_by_a_worker_of_another_community_is_404(wanping: World) -> None:
    notice_id = file_notice(wanping, wanping.wanping_worker).json()["id"]
    response = inspect(wanping, wanping.zhenguosi_worker, notice_id)
    assert response.status_code == 404
    assert "宛平" not in response.content.decode()
    page = wanping.client(wanping.zhenguosi_worker)
    assert page.get(f"/arrivals/notices/{notice_id}/inspection/").status_code == 404
    assert page.post(f"/arrivals/notices/{notice_id}/inspection/", {}).status_code == 404
    assert page.get(f"/arrivals/notices/{notice_id}/").status_code == 404
    api = wanping.api(wanping.zhenguosi_worker)
    assert api.get(f"/api/v1/arrival-notices/{notice_id}/").status_code == 404
    assert api.post(f"/api/v1/arrival-notices/{notice_id}/letter/", {}).status_code == 404
    assert api.get("/api/v1/arrival-notices/").json()["count"] == 0
    # The service itself refuses too, for a caller that skipped the lookup.
    with pytest.raises(PermissionDenied):
        inspection_record(
            actor=wanping.zhenguosi_worker,
            notice=ArrivalNotice.objects.get(pk=notice_id),
            kind=ObservationMode.HOME,
            checklist=ALL_HOME_ITEMS,
            team=[("甲", "社区干部")],
            inspected_on=TODAY,
        )


def test_police_and_medical_staff_inspect_but_do_not_file(wanping: World) -> None:
    police = make_account("wanping_police", Role.POLICE_OFFICER, WANPING)
    notice_id = file_notice(wanping, wanping.wanping_worker).json()["id"]
    assert file_notice(wanping, police, people=workers(1, start=620)).status_code == 403
    assert inspect(wanping, police, notice_id).status_code == 201
    officer = wanping.api(wanping.wanping_officer)
    assert officer.get(f"/api/v1/arrival-notices/{notice_id}/").status_code == 200
    assert officer.post(f"/api/v1/arrival-notices/{notice_id}/confirm/").status_code == 403


def test_a_person_known_elsewhere_is_matched_without_showing_their_record(
    wanping: World,
) -> None:
    number = valid_id(880, region="130602")
    known = make_person(
        wanping.zhenguosi_worker, wanping.areas[ZHENGUOSI], "镇国寺的老住户", document_number=number
    )
    people = [{"name": "李明", "document_number": number, "phone": "13900008800"}]
    response = file_notice(wanping, wanping.wanping_worker, people=people)
    assert response.status_code == 201, response.json()
    row = ArrivalNotice.objects.get(pk=response.json()["id"]).people.get()
    assert row.person == known  # one person per document: no second registration
    assert Person.objects.filter(document_index=known.document_index).count() == 1
    assert response.json()["people"][0]["person"] is None  # not the Wanping worker's to open
    for text in (
        response.content.decode(),
        wanping.client(wanping.wanping_worker)
        .get(f"/arrivals/notices/{response.json()['id']}/")
        .content.decode(),
    ):
        assert "镇国寺" not in text and "老住户" not in text


# --- the public page ---------------------------------------------------------------------------


def public_form(**over: Any) -> dict[str, str]:
    return {
        "filed_by": FiledBy.LANDLORD,
        "filer_name": "房东老王",
        "filer_phone": "13800001111",
        "origin_code": "130000",
        "origin_name": "河北省保定市",
        "planned_on": "2020-03-05",
        "mode": ObservationMode.HOME,
        "area": WANPING_ZONE,
        "building": "城内街12号院",
        "entrance": "",
        "room": "西厢房",
        "unit": "",
        "unit_name": "",
        "note": "",
        "website": "",
        "people-0-name": "租户小李",
        "people-0-document_type": "resident_id",
        "people-0-document_number": valid_id(700, region="130602"),
        "people-0-phone": "13900007001",
        **over,
    }


def link(world: World, code: str = WANPING) -> str:
    return f"/r/notice/{notice_link_token(world.areas[code])}/"


def test_a_public_notice_is_pending_until_the_community_confirms_it(wanping: World) -> None:
    client = Client()
    page = client.get(link(wanping))
    text = page.content.decode()
    assert page.status_code == 200 and "宛平城社区" in text
    assert "打电话" in text and "核实确认后报备才生效" in text
    assert "城内街" in text  # the community's zones to choose from
    response = client.post(link(wanping), public_form())
    assert response.status_code == 302, response.content.decode()
    done = client.get(response["Location"]).content.decode()
    notice = ArrivalNotice.objects.get()
    assert notice_reference(notice) in done and "等待社区电话确认" in done
    assert "租户小李" not in done  # the confirmation shows no names
    assert notice.status == NoticeStatus.PENDING and notice.area.code == WANPING_ZONE
    assert notice.decision == Decision.OBSERVE and notice.created_by is None
    assert not Person.objects.exists()  # nobody is registered from an unconfirmed notice
    assert not notices_counted(ArrivalNotice.objects.all()).exists()

    # The worker sees it first in the list, calls, confirms.
    worker = wanping.client(wanping.wanping_worker)
    listing = worker.get("/arrivals/notices/").content.decode()
    assert "待社区确认 1" in listing and "房东报备" in listing
    assert worker.post(f"/arrivals/notices/{notice.pk}/confirm/").status_code == 302
    notice.refresh_from_db()
    assert (
        notice.status == NoticeStatus.INSPECTION and notice.confirmed_by == wanping.wanping_worker
    )
    tenant = Person.objects.get()
    assert (tenant.name, tenant.residency, tenant.area.code) == (
        "租户小李",
        Residency.MIGRANT,
        WANPING_ZONE,
    )
    assert notices_counted(ArrivalNotice.objects.all()).count() == 1
    twice = worker.post(f"/arrivals/notices/{notice.pk}/confirm/", follow=True).content.decode()
    assert "不能再确认" in twice


def test_a_public_notice_can_be_rejected_with_a_reason(wanping: World) -> None:
    Client().post(link(wanping), public_form())
    notice = ArrivalNotice.objects.get()
    api = wanping.api(wanping.wanping_worker)
    empty = api.post(f"/api/v1/arrival-notices/{notice.pk}/reject/", {"reason": ""}, format="json")
    assert errors_by_field(empty) == {"reason": "required"}
    rejected = api.post(
        f"/api/v1/arrival-notices/{notice.pk}/reject/",
        {"reason": "电话打不通，查无此人"},
        format="json",
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == NoticeStatus.REJECTED
    assert "查无此人" in rejected.json()["note"]


def test_a_forged_or_foreign_link_is_404(wanping: World) -> None:
    client = Client()
    token = notice_link_token(wanping.areas[WANPING])
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    for url in (
        f"/r/notice/{forged}/",
        f"/r/notice/{WANPING}/",
        f"/r/notice/{WANPING}:abc/",
        f"/r/notice/{notice_link_token(wanping.areas['110106014'])}/",  # a street
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "链接无效" in response.content.decode()
    assert client.post(f"/r/notice/{forged}/", public_form()).status_code == 404
    # A confirmation page belongs to its community's link only.
    response = client.post(link(wanping), public_form())
    ref = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert client.get(f"{link(wanping, ZHENGUOSI)}done/{ref}/").status_code == 404
    assert client.get(f"{link(wanping)}done/{ref}x/").status_code == 404


def test_the_public_page_limits_each_address_and_each_community(
    wanping: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Client()
    for i in range(public_notices.LIMIT_PER_IP):
        form = public_form(**{"people-0-document_number": valid_id(710 + i, region="130602")})
        assert client.post(link(wanping), form).status_code == 302
    over = client.post(link(wanping), public_form(**{"people-0-document_number": valid_id(719)}))
    assert over.status_code == 429
    assert "提交太频繁" in over.content.decode()
    assert ArrivalNotice.objects.count() == public_notices.LIMIT_PER_IP
    # Another address may still file, until the community's own limit is reached.
    monkeypatch.setattr(public_notices, "LIMIT_PER_AREA", public_notices.LIMIT_PER_IP + 1)
    other = public_form(**{"people-0-document_number": valid_id(720, region="130602")})
    assert client.post(link(wanping), other, REMOTE_ADDR="10.0.0.2").status_code == 302
    third = public_form(**{"people-0-document_number": valid_id(721, region="130602")})
    assert client.post(link(wanping), third, REMOTE_ADDR="10.0.0.3").status_code == 429
    # Zhenguosi's link has its own count.
    zhenguosi = public_form(area="", building="镇国寺北里3号楼")
    assert (
        client.post(link(wanping, ZHENGUOSI), zhenguosi, REMOTE_ADDR="10.0.0.3").status_code == 302
    )
    # Another hour, another window.
    with time_machine.travel(dt.datetime(2020, 3, 2, 11, 0, tzinfo=SH), tick=False):
        assert client.post(link(wanping), third).status_code == 302


def test_a_filled_honeypot_saves_nothing(wanping: World) -> None:
    response = Client().post(link(wanping), public_form(website="http://spam.example"))
    assert response.status_code == 400 and "提交未成功" in response.content.decode()
    assert not ArrivalNotice.objects.exists()


def test_bad_public_input_is_explained_by_the_field_and_row(wanping: World) -> None:
    form = public_form(
        filer_phone="",
        planned_on="2020-02-28",
        **{
            "people-0-document_number": "110106198001011235",  # check digit is 4
            "people-1-name": "第二人",
            "people-1-document_number": "",
        },
    )
    response = Client().post(link(wanping), form)
    text = response.content.decode()
    assert response.status_code == 400
    assert "社区会打这个电话核实" in text and "已经过去" in text
    assert 'data-error-for="people-0-document_number"' in text
    assert 'data-error-for="people-1-document_number"' in text
    assert 'value="第二人"' in text  # what was typed stays in the form
    worker_filed = Client().post(link(wanping), public_form(filed_by=FiledBy.WORKER))
    assert worker_filed.status_code == 400 and not ArrivalNotice.objects.exists()


# --- unannounced arrivals ---------------------------------------------------------------------


def test_an_unannounced_returnee_is_registered_housed_and_sent_to_inspection(
    wanping: World,
) -> None:
    zone = wanping.areas[WANPING_ZONE]
    landlord = make_person(wanping.wanping_worker, zone, "房东老王", building="城内街12号院")
    number = valid_id(900, region="130602")
    response = wanping.api(wanping.wanping_worker).post(
        "/api/v1/unannounced-arrivals/",
        {
            "area": WANPING_ZONE,
            "person": {"name": "赵小二", "document_number": number, "phone": "13900009000"},
            "origin_code": "130600",
            "origin_name": "河北省保定市",
            "arrived_on": "2020-03-02",
            "building": "城内街12号院",
            "room": "南屋",
            "landlord": landlord.pk,
            "note": "城内街门岗因无出入证被拦下，已解释政策",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["unannounced"] is True and body["status"] == NoticeStatus.INSPECTION
    assert body["filed_by"] == FiledBy.WORKER and body["planned_on"] == "2020-03-02"
    person = Person.objects.get(name="赵小二")
    assert person.whereabouts == Whereabouts.IN_BEIJING and person.residency == Residency.MIGRANT
    home = Residence.objects.get(person=person, until__isnull=True)
    assert (home.kind, home.landlord) == (ResidenceKind.TENANT, landlord)
    page = wanping.client(wanping.wanping_worker).get(f"/arrivals/notices/{body['id']}/")
    text = page.content.decode()
    assert "未提前告知" in text and "联系房东" in text and "房东老王" in text
    assert number not in text


def test_an_unannounced_returnee_from_hubei_is_reported_at_once(wanping: World) -> None:
    notice = unannounced_register(
        actor=wanping.wanping_worker,
        area=wanping.areas[WANPING_ZONE],
        person_data={"name": "钱某", "document_number": valid_id(901, region="420102")},
        origin_code="420000",
        arrived_on=TODAY,
        building="桥西街5号院",
    )
    assert notice.status == NoticeStatus.MUST_DELAY and notice.unannounced
    assert "已到京" in notice_next_step(notice) and "集中观察" in notice_next_step(notice)


def test_unannounced_input_is_checked(wanping: World) -> None:
    api = wanping.api(wanping.wanping_worker)
    response = api.post(
        "/api/v1/unannounced-arrivals/",
        {
            "area": WANPING_ZONE,
            "person": {"name": "", "document_number": "123"},
            "origin_code": "130000",
            "arrived_on": "2020-03-03",
            "building": "",
        },
        format="json",
    )
    assert response.status_code == 400
    assert errors_by_field(response) == {
        "person.name": "required",
        "person.document_number": "length",
        "arrived_on": "future_date",
        "building": "required",
    }
    foreign = api.post(
        "/api/v1/unannounced-arrivals/",
        {
            "area": ZHENGUOSI,
            "person": {"name": "甲", "document_number": valid_id(902)},
            "origin_code": "130000",
            "arrived_on": "2020-03-02",
            "building": "1号楼",
        },
        format="json",
    )
    assert foreign.status_code == 400 and errors_by_field(foreign) == {"area": "unknown_area"}


# --- pages: list, forms, letters, the link ---------------------------------------------------


def test_a_worker_files_and_inspects_through_the_pages(wanping: World) -> None:
    page = wanping.client(wanping.wanping_worker)
    assert page.get("/arrivals/notices/new/").status_code == 200
    response = page.post(
        "/arrivals/notices/new/",
        {
            "filed_by": FiledBy.RETURNEE,
            "filer_name": "李明",
            "filer_phone": "13800002001",
            "origin_code": "320000",
            "planned_on": "2020-03-04",
            "mode": ObservationMode.HOME,
            "area": WANPING_ZONE,
            "building": "城北街3号院",
            "people-0-name": "李明",
            "people-0-document_type": "resident_id",
            "people-0-document_number": valid_id(950, region="320102"),
            "people-0-phone": "13900009500",
            "people-1-name": "",
            "people-1-document_number": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    notice = ArrivalNotice.objects.get()
    assert (notice.status, notice.origin_name, notice.people.count()) == (
        NoticeStatus.INSPECTION,
        "江苏省",
        1,
    )
    form = page.get(f"/arrivals/notices/{notice.pk}/inspection/").content.decode()
    assert "有独立卫生间" in form and 'value="包片社区干部"' in form
    checked = {f"item_{code}": "on" for code in CHECKLISTS[ObservationMode.HOME]}
    done = page.post(
        f"/arrivals/notices/{notice.pk}/inspection/",
        {
            **checked,
            "inspected_on": "2020-03-02",
            "team-0-name": "周明",
            "team-0-role": "包片社区干部",
            "team-1-name": "刘芳",
            "team-1-role": "医护人员",
            "team-2-name": "",
            "team-2-role": "",
        },
    )
    assert done.status_code == 302, done.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.READY
    assert list(InspectionMember.objects.values_list("name", "role")) == [
        ("周明", "包片社区干部"),
        ("刘芳", "医护人员"),
    ]


def test_the_list_puts_pending_notices_first_and_filters_by_state(wanping: World) -> None:
    file_notice(wanping, wanping.wanping_worker, planned_on="2020-03-03")
    Client().post(link(wanping), public_form(planned_on="2020-03-20"))
    body = wanping.api(wanping.wanping_worker).get("/api/v1/arrival-notices/").json()
    assert [n["status"] for n in body["results"]] == [NoticeStatus.PENDING, NoticeStatus.INSPECTION]
    only = wanping.api(wanping.wanping_worker).get("/api/v1/arrival-notices/?status=inspection")
    assert only.json()["count"] == 1
    bad = wanping.api(wanping.wanping_worker).get("/api/v1/arrival-notices/?status=nope")
    assert errors_by_field(bad) == {"status": "invalid_choice"}
    page = wanping.client(wanping.wanping_worker).get("/arrivals/notices/?status=pending")
    assert page.content.decode().count('data-notice="') == 1


def test_responsibility_letters_print_in_bulk_on_a4(wanping: World, site: Unit) -> None:
    ids = []
    for start in (500, 520):
        notice = notice_file(
            actor=wanping.wanping_worker,
            area=wanping.areas[WANPING],
            filed_by=FiledBy.EMPLOYER,
            filer_name="王经理",
            origin_code="410000",
            origin_name="河南省信阳市",
            planned_on=NEXT_WEEK,
            mode=ObservationMode.UNIT,
            unit=site,
            people=workers(6 if start == 500 else 2, start=start),
        )
        ids.append(notice.pk)
    home = file_notice(wanping, wanping.wanping_worker).json()["id"]
    page = wanping.client(wanping.wanping_worker)
    text = page.get(f"/arrivals/letters/print/?ids={ids[0]},{ids[1]},{home}").content.decode()
    assert "@page { size: A4" in text and "page-break-before: always" in text
    assert text.count('data-letter="') == 2 and "另有 1 份" in text
    assert "地铁16号线施工项目部" in text and "王经理" in text
    assert "<strong>6</strong> 名返京人员" in text and "<strong>2</strong> 名返京人员" in text
    assert "观察期限 <strong>14</strong> 天" in text and "37.3" in text
    assert POLICY_2020["label"] in text and "不得设置上下床" in text
    # Also from the list's checkboxes (?ids=1&ids=2), and never across communities.
    both = page.get(f"/arrivals/letters/print/?ids={ids[0]}&ids={ids[1]}").content.decode()
    assert both.count('data-letter="') == 2
    other = wanping.client(wanping.zhenguosi_worker).get(f"/arrivals/letters/print/?ids={ids[0]}")
    assert "地铁16号线" not in other.content.decode()


def test_the_link_page_shows_the_communitys_link_and_qr_code(wanping: World) -> None:
    text = wanping.client(wanping.wanping_worker).get("/arrivals/notices/link/").content.decode()
    token = notice_link_token(wanping.areas[WANPING])
    assert f"/r/notice/{token}/" in text and "<svg" in text
    other = wanping.client(wanping.zhenguosi_worker).get("/arrivals/notices/link/").content.decode()
    assert token not in other
    assert notice_link_token(wanping.areas[ZHENGUOSI]) in other


def test_an_employer_names_an_unregistered_unit_and_the_worker_registers_it(
    wanping: World,
) -> None:
    form = public_form(
        filed_by=FiledBy.EMPLOYER,
        filer_name="王经理",
        mode=ObservationMode.UNIT,
        area="",
        building="",
        room="",
        unit_name="地铁16号线施工项目部",
    )
    assert Client().post(link(wanping), form).status_code == 302
    notice = ArrivalNotice.objects.get()
    assert notice.unit is None and "地铁16号线施工项目部" in notice.note
    page = wanping.client(wanping.wanping_worker)
    detail = page.get(f"/arrivals/notices/{notice.pk}/").content.decode()
    assert "单位集中观察须选定用工单位" in detail
    missing = page.post(f"/arrivals/notices/{notice.pk}/confirm/", follow=True).content.decode()
    assert "须选定用工单位" in missing
    page.post(
        f"/arrivals/notices/{notice.pk}/confirm/",
        {"unit": "", "unit_name": "地铁16号线施工项目部", "unit_contact_name": "王经理"},
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.INSPECTION
    assert notice.unit is not None and notice.unit.area.code == WANPING
    assert Person.objects.get().employer == notice.unit


def test_the_unannounced_page_finds_the_landlord_by_document(wanping: World) -> None:
    zone = wanping.areas[WANPING_ZONE]
    landlord_number = valid_id(960, region="110106")
    make_person(wanping.wanping_worker, zone, "房东老王", document_number=landlord_number)
    page = wanping.client(wanping.wanping_worker)
    assert page.get("/arrivals/unannounced/new/").status_code == 200
    base = {
        "name": "赵小二",
        "document_type": "resident_id",
        "document_number": valid_id(961, region="130602"),
        "residency": Residency.MIGRANT,
        "origin_code": "130000",
        "arrived_on": "2020-03-02",
        "area": WANPING_ZONE,
        "mode": ObservationMode.HOME,
        "residence_kind": ResidenceKind.TENANT,
        "building": "城内街12号院",
        "room": "南屋",
    }
    unknown = page.post("/arrivals/unannounced/new/", {**base, "landlord_document": valid_id(962)})
    assert unknown.status_code == 400 and "房东尚未登记" in unknown.content.decode()
    done = page.post("/arrivals/unannounced/new/", {**base, "landlord_document": landlord_number})
    assert done.status_code == 302, done.content.decode()
    notice = ArrivalNotice.objects.get()
    assert notice.unannounced and notice.status == NoticeStatus.INSPECTION
    assert Residence.objects.get(person__name="赵小二").landlord.name == "房东老王"


def test_the_letter_spot_check_and_reschedule_pages(wanping: World, site: Unit, clock: Any) -> None:
    worker = wanping.wanping_worker
    notice = notice_file(
        actor=worker,
        area=wanping.areas[WANPING],
        filed_by=FiledBy.EMPLOYER,
        filer_name="王经理",
        origin_code="410000",
        planned_on=NEXT_WEEK,
        mode=ObservationMode.UNIT,
        unit=site,
        people=workers(1),
    )
    page = wanping.client(worker)
    assert page.get(f"/arrivals/notices/{notice.pk}/letter/").status_code == 200
    letter = page.post(
        f"/arrivals/notices/{notice.pk}/letter/",
        {
            "signed_on": "2020-03-02",
            "unit_signatory": "王经理",
            "community_signatory": "冯佳",
            "spot_checks": "2",
        },
        follow=True,
    )
    assert "已记录责任书" in letter.content.decode()
    assert "核查通过后" in letter.content.decode()  # not inspected yet: checks come later
    assert not SpotCheck.objects.exists()
    inspection_record(
        actor=worker,
        notice=notice,
        kind=ObservationMode.UNIT,
        checklist=ALL_UNIT_ITEMS,
        team=[("冯佳", "社区主任")],
        inspected_on=TODAY,
    )
    planned = page.post(f"/arrivals/notices/{notice.pk}/spot-checks/", {"count": "2"}, follow=True)
    assert "已安排 2 次不定期抽查" in planned.content.decode()
    check = SpotCheck.objects.filter(notice=notice).order_by("scheduled_on").first()
    assert check is not None
    clock.move_to(dt.datetime.combine(check.scheduled_on, dt.time(16), tzinfo=SH))
    page = wanping.client(worker)  # days later: a new session
    url = f"/arrivals/spot-checks/{check.pk}/"
    assert page.get(url).status_code == 200
    vague = page.post(url, {"done_on": str(check.scheduled_on), "result": "problem"})
    assert vague.status_code == 400 and "发现问题时请写明情况" in vague.content.decode()
    recorded = page.post(
        url,
        {"done_on": str(check.scheduled_on), "result": "problem", "findings": "有人外出取快递"},
    )
    assert recorded.status_code == 302
    check.refresh_from_db()
    assert check.result == SpotCheckResult.PROBLEM
    assert wanping.client(wanping.zhenguosi_worker).get(url).status_code == 404

    # A later date, on the reschedule page: decided again, still ready.
    assert page.get(f"/arrivals/notices/{notice.pk}/reschedule/").status_code == 200
    moved = page.post(
        f"/arrivals/notices/{notice.pk}/reschedule/",
        {"planned_on": str(check.scheduled_on + dt.timedelta(days=3))},
    )
    assert moved.status_code == 302
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.READY
    assert notice.planned_on == check.scheduled_on + dt.timedelta(days=3)
