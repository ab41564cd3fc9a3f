"""Patrol and disinfection rounds: a round falls overdue once its plan's interval has passed
since the last record, shows on the list, the API and the 工作台, and disappears when it is
recorded; nothing of another community; bad input names its field and writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from fangkong.rounds.models import Place, Plan, Record
from fangkong.rounds.selectors import rounds_due
from fangkong.rounds.services import place_create, plan_create, record_round
from tests.conftest import WANPING, ZHENGUOSI, World

BEIJING = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2020, 3, 6)


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(at(8), tick=False) as traveller:
        yield traveller


@pytest.fixture
def patrol(world: World, clock: time_machine.Coordinates) -> Plan:
    """3号楼's lift, patrolled every 4 hours; the last round at 07:00."""
    worker = world.zhenguosi_worker
    place = place_create(
        actor=worker, area=world.areas[ZHENGUOSI], kind="lift", building="3号楼", name="电梯"
    )
    plan = plan_create(actor=worker, place=place, kind="patrol", every_hours=4, active_from=DAY)
    record_round(actor=worker, plan=plan, done_at=at(7))
    return plan


def _overdue_ids(world: World) -> list[int]:
    return [d.plan.pk for d in rounds_due(user=world.zhenguosi_worker) if d.overdue]


def _work_items(html: str) -> dict[str, tuple[str, int]]:
    found = re.findall(
        r'<a class="list-group-item[^"]*" href="([^"]+)" data-work-item>\s*'
        r'<span><span class="fw-bold">([^<]+)</span>.*?fs-6">(\d+)</span>',
        html,
        re.S,
    )
    return {label: (href, int(n)) for href, label, n in found}


def test_an_overdue_round_appears_and_disappears_when_recorded(
    world: World, patrol: Plan, clock: time_machine.Coordinates
) -> None:
    cache.clear()
    worker = world.zhenguosi_worker
    api = world.api(worker)
    clock.move_to(at(10, 30))
    client = world.client(worker)  # sessions lapse after 30 idle minutes: log in each time
    assert _overdue_ids(world) == []
    [due] = api.get(f"/api/v1/rounds/due/?area={ZHENGUOSI}").json()
    assert due["plan"] == patrol.pk and not due["overdue"] and due["late_minutes"] == 0
    assert "data-overdue" not in client.get("/rounds/?tab=overdue").content.decode()

    clock.move_to(at(12, 45))  # due at 11:00: 1 h 45 min late
    assert _overdue_ids(world) == [patrol.pk]
    client = world.client(worker)
    [due] = api.get(f"/api/v1/rounds/due/?area={ZHENGUOSI}&overdue=true").json()
    assert due["overdue"] and due["late_minutes"] == 105
    assert due["place_name"] == "3号楼 电梯" and due["interval_hours"] == 4
    page = client.get("/rounds/?tab=overdue").content.decode()
    assert f'data-plan="{patrol.pk}" data-overdue' in page and "逾期 1 小时 45 分" in page
    items = _work_items(client.get("/").content.decode())
    assert items["巡查消杀逾期"] == ("/rounds/?tab=overdue", 1)

    # One tap on the phone: done, with a note.
    response = client.post(
        f"/rounds/plans/{patrol.pk}/record/",
        {"note": "电梯按钮已擦", "next": "/rounds/?tab=overdue"},
    )
    assert response.status_code == 302 and response["Location"] == "/rounds/?tab=overdue"
    record = Record.objects.latest("done_at")
    assert (record.done_by, record.note, record.done_at) == (worker, "电梯按钮已擦", at(12, 45))
    assert _overdue_ids(world) == []
    assert api.get(f"/api/v1/rounds/due/?area={ZHENGUOSI}&overdue=1").json() == []
    assert "data-overdue" not in client.get("/rounds/?tab=overdue").content.decode()
    assert "巡查消杀逾期" not in _work_items(client.get("/").content.decode())
    # …and it falls due again one interval later.
    clock.move_to(at(16, 46))
    assert _overdue_ids(world) == [patrol.pk]


def test_a_plan_without_records_is_overdue_from_its_first_day(
    world: World, clock: time_machine.Coordinates
) -> None:
    worker = world.zhenguosi_worker
    place = place_create(
        actor=worker, area=world.areas[ZHENGUOSI], kind="rubbish", building="7号楼", name="垃圾桶站"
    )
    plan = plan_create(
        actor=worker,
        place=place,
        kind="disinfection",
        times_a_day=2,
        agent="chlorine",
        concentration="500 mg/L",
        active_from=DAY,
    )
    [due] = rounds_due(user=worker)
    assert due.overdue and due.late_minutes == 8 * 60 and due.plan == plan
    record = record_round(actor=worker, plan=plan)
    assert (record.agent, record.concentration) == ("chlorine", "500 mg/L")  # the plan's
    [due] = rounds_due(user=worker)
    assert not due.overdue and due.due_at == at(20)  # twice a day: every 12 hours


def test_an_ended_plan_is_no_longer_due(
    world: World, patrol: Plan, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(12, 45))
    response = world.api(world.zhenguosi_worker).post(f"/api/v1/rounds/plans/{patrol.pk}/end/")
    assert response.status_code == 200 and response.json()["active_until"] == "2020-03-06"
    clock.move_to(at(9, 0, DAY + dt.timedelta(days=1)))
    assert rounds_due(user=world.zhenguosi_worker) == []
    again = world.api(world.zhenguosi_worker).post(f"/api/v1/rounds/plans/{patrol.pk}/end/")
    assert again.status_code == 409


def test_another_community_sees_nothing_and_cannot_record(
    world: World, patrol: Plan, clock: time_machine.Coordinates
) -> None:
    clock.move_to(at(12, 45))
    wanping = world.wanping_worker
    api, client = world.api(wanping), world.client(wanping)
    assert rounds_due(user=wanping) == []
    assert api.get("/api/v1/rounds/places/").json()["count"] == 0
    assert api.get("/api/v1/rounds/plans/").json()["count"] == 0
    assert api.get("/api/v1/rounds/records/").json()["count"] == 0
    assert api.get(f"/api/v1/rounds/due/?area={ZHENGUOSI}").status_code == 400
    assert api.post("/api/v1/rounds/records/", {"plan": patrol.pk}).status_code == 404
    assert api.post(f"/api/v1/rounds/plans/{patrol.pk}/end/").status_code == 404
    place = patrol.place_id
    body = {"place": place, "kind": "disinfection", "times_a_day": 2, "agent": "alcohol"}
    assert api.post("/api/v1/rounds/plans/", body).status_code == 404
    assert api.get(f"/api/v1/rounds/plans/?place={place}").status_code == 404
    assert client.get(f"/rounds/places/{place}/").status_code == 404
    assert client.post(f"/rounds/plans/{patrol.pk}/record/").status_code == 404
    assert "3号楼" not in client.get("/rounds/?tab=places").content.decode()
    assert "巡查消杀逾期" not in _work_items(client.get("/").content.decode())
    assert Record.objects.count() == 1
    # The street officer above 镇国寺 only reads; the district officer sees it.
    officer = world.district_officer
    assert [d.plan for d in rounds_due(user=officer)] == [patrol]
    assert (
        world.api(officer).post("/api/v1/rounds/records/", {"plan": patrol.pk}).status_code == 403
    )


def test_bad_input_names_the_field_and_writes_nothing(
    world: World, patrol: Plan, clock: time_machine.Coordinates
) -> None:
    api = world.api(world.zhenguosi_worker)

    def fields(response: object) -> set[str]:
        assert response.status_code == 400, response.content  # type: ignore[attr-defined]
        return {e["field"] for e in response.json()["errors"]}  # type: ignore[attr-defined]

    place = patrol.place_id
    assert fields(api.get("/api/v1/rounds/due/")) == {"area"}
    assert fields(api.get("/api/v1/rounds/due/?area=999")) == {"area"}
    assert fields(api.get(f"/api/v1/rounds/due/?area={ZHENGUOSI}&overdue=maybe")) == {"overdue"}
    assert fields(api.get("/api/v1/rounds/records/?date=2020-02-30")) == {"date"}
    assert fields(api.get("/api/v1/rounds/plans/?place=x")) == {"place"}
    assert fields(
        api.post("/api/v1/rounds/places/", {"area": ZHENGUOSI, "kind": "moon", "name": "x"})
    ) == {"kind"}
    assert fields(
        api.post("/api/v1/rounds/places/", {"area": ZHENGUOSI, "kind": "lift", "name": " "})
    ) == {"name"}
    assert fields(
        api.post("/api/v1/rounds/places/", {"area": WANPING, "kind": "lift", "name": "x"})
    ) == {"area"}
    duplicate = api.post(
        "/api/v1/rounds/places/",
        {"area": ZHENGUOSI, "kind": "lift", "building": "3号楼", "name": "电梯"},
    )
    assert duplicate.status_code == 409 and duplicate.json()["id"] == place
    assert fields(api.post("/api/v1/rounds/plans/", {"place": place, "kind": "patrol"})) == {
        "every_hours"
    }
    both = {"place": place, "kind": "patrol", "every_hours": 4, "times_a_day": 2}
    assert fields(api.post("/api/v1/rounds/plans/", both)) == {"every_hours"}
    assert fields(
        api.post("/api/v1/rounds/plans/", {"place": place, "kind": "patrol", "every_hours": 0})
    ) == {"every_hours"}
    assert fields(
        api.post(
            "/api/v1/rounds/plans/", {"place": place, "kind": "disinfection", "times_a_day": 2}
        )
    ) == {"agent"}
    late = {
        "place": place,
        "kind": "disinfection",
        "times_a_day": 2,
        "agent": "chlorine",
        "active_from": "2020-03-06",
        "active_until": "2020-03-01",
    }
    assert fields(api.post("/api/v1/rounds/plans/", late)) == {"active_until"}
    overlap = api.post(
        "/api/v1/rounds/plans/", {"place": place, "kind": "patrol", "times_a_day": 3}
    )
    assert overlap.status_code == 409 and overlap.json()["id"] == patrol.pk
    assert fields(
        api.post(
            "/api/v1/rounds/records/", {"plan": patrol.pk, "done_at": "2020-03-06T23:00:00+08:00"}
        )
    ) == {"done_at"}
    assert fields(
        api.post(
            "/api/v1/rounds/records/", {"plan": patrol.pk, "done_at": "2020-03-01T09:00:00+08:00"}
        )
    ) == {"plan"}
    assert fields(api.post("/api/v1/rounds/records/", {"plan": "abc"})) == {"plan"}
    assert (Place.objects.count(), Plan.objects.count(), Record.objects.count()) == (1, 1, 1)


def test_places_plans_and_records_over_the_api(
    world: World, clock: time_machine.Coordinates
) -> None:
    api = world.api(world.zhenguosi_worker)
    place = api.post(
        "/api/v1/rounds/places/", {"area": ZHENGUOSI, "kind": "canteen", "name": "社区食堂"}
    )
    assert place.status_code == 201, place.content
    plan = api.post(
        "/api/v1/rounds/plans/",
        {
            "place": place.json()["id"],
            "kind": "disinfection",
            "times_a_day": 3,
            "agent": "peracetic",
            "concentration": "0.2%",
        },
    )
    assert plan.status_code == 201, plan.content
    assert plan.json()["interval_hours"] == 8 and plan.json()["active_from"] == "2020-03-06"
    record = api.post(
        "/api/v1/rounds/records/",
        {"plan": plan.json()["id"], "what": "餐桌、门把手擦拭消毒", "note": "午饭前"},
    )
    assert record.status_code == 201, record.content
    body = record.json()
    assert (body["agent"], body["concentration"], body["done_by"]) == (
        "peracetic",
        "0.2%",
        "zhenguosi_worker",
    )
    listed = api.get(f"/api/v1/rounds/records/?area={ZHENGUOSI}&date=2020-03-06").json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]
    assert api.get("/api/v1/rounds/records/?date=2020-03-05").json()["count"] == 0


def test_the_pages_add_a_place_and_its_plan(world: World, clock: time_machine.Coordinates) -> None:
    client = world.client(world.zhenguosi_worker)
    assert client.get("/rounds/places/new/").status_code == 200
    response = client.post(
        "/rounds/places/new/",
        {"area": ZHENGUOSI, "kind": "toilet", "building": "", "name": "社区公共卫生间"},
    )
    place = Place.objects.get(name="社区公共卫生间")
    assert (
        response.status_code == 302
        and response["Location"] == f"/rounds/plans/new/?place={place.pk}"
    )
    assert client.get(response["Location"]).status_code == 200
    bad = client.post(
        "/rounds/plans/new/", {"place": place.pk, "kind": "patrol", "active_from": "2020-03-06"}
    )
    assert bad.status_code == 200 and 'data-error-for="every_hours"' in bad.content.decode()
    response = client.post(
        "/rounds/plans/new/",
        {"place": place.pk, "kind": "patrol", "every_hours": 6, "active_from": "2020-03-06"},
    )
    assert response.status_code == 302 and response["Location"] == f"/rounds/places/{place.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "巡逻检查" in page and "每 6 小时" in page
    # A guard records rounds but does not plan them.
    guard = world.client(world.guard)
    assert guard.get("/rounds/places/new/").status_code == 403
    assert guard.get("/rounds/").status_code == 200
