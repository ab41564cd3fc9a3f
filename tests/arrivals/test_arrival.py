"""Arrival: a worker records who of a confirmed notice's group arrived; each arrival's
observation is linked to the notice and decided by the policy in force on its day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from fangkong.arrivals.models import Arrival, ArrivalNotice, NoticeStatus, Observation
from fangkong.arrivals.notices.selectors import notices_overdue
from fangkong.audit.models import AuditEvent
from fangkong.policy.services import policy_seed_2020
from tests.arrivals.test_notices import file_notice, inspect, workers
from tests.conftest import World

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    cache.clear()
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH), tick=False) as traveller:
        yield traveller


@pytest.fixture
def ready(world: World) -> ArrivalNotice:
    """A group of six from 河北省, confirmed and inspected: 可以返京 on 2020-03-04."""
    policy_seed_2020()
    filed = file_notice(
        world, world.wanping_worker, people=workers(6, start=800), planned_on="2020-03-04"
    )
    assert filed.status_code == 201, filed.json()
    assert inspect(world, world.wanping_worker, filed.json()["id"]).status_code == 201
    notice = ArrivalNotice.objects.get(pk=filed.json()["id"])
    assert notice.status == NoticeStatus.READY
    return notice


def _arrive(world: World, notice: ArrivalNotice, **body: Any) -> Any:
    return world.api(world.wanping_worker).post(
        f"/api/v1/arrival-notices/{notice.pk}/arrive/", body, format="json"
    )


def test_five_of_six_arrive_and_their_observations_link_to_the_notice(
    world: World, ready: ArrivalNotice, clock: Any
) -> None:
    clock.move_to(dt.datetime(2020, 3, 4, 18, tzinfo=SH))
    rows = list(ready.people.order_by("id"))
    response = _arrive(world, ready, arrived_on="2020-03-04", people=[r.pk for r in rows[:5]])
    assert response.status_code == 201, response.json()
    assert len(response.json()) == 5
    observations = Observation.objects.filter(notice=ready)
    assert observations.count() == 5
    assert {o.person_id for o in observations} == {r.person_id for r in rows[:5]}
    assert {(o.arrived_on, o.days, o.policy_id) for o in observations} == {
        (dt.date(2020, 3, 4), 14, ready.policy_id)
    }
    ready.refresh_from_db()
    assert ready.status == NoticeStatus.READY  # one is still expected
    assert ready.people.filter(arrival=Arrival.EXPECTED).count() == 1
    # The sixth is not coming: the notice is done.
    done = _arrive(world, ready, arrived_on="2020-03-04", people=[], no_show=[rows[5].pk])
    assert done.status_code == 201 and done.json() == []
    ready.refresh_from_db()
    assert ready.status == NoticeStatus.ARRIVED
    assert (
        AuditEvent.objects.filter(object_id=str(ready.pk), detail__contains="登记到京").count() == 2
    )


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"arrived_on": "2020-03-05"}, "arrived_on", "future"),
        ({"arrived_on": "2020-03-02", "people": [999999]}, "people", "unknown"),
        ({"arrived_on": "2020-03-02", "people": []}, "people", "required"),
        ({"people": []}, "arrived_on", "required"),
    ],
)
def test_bad_arrivals_are_refused_and_change_nothing(
    world: World, ready: ArrivalNotice, body: dict[str, Any], field: str, code: str
) -> None:
    response = _arrive(world, ready, **body)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert not Observation.objects.filter(notice=ready).exists()
    assert not ready.people.exclude(arrival=Arrival.EXPECTED).exists()


def test_a_notice_not_ready_cannot_arrive_and_another_community_cannot_see_it(
    world: World, ready: ArrivalNotice
) -> None:
    other = world.api(world.zhenguosi_worker).post(
        f"/api/v1/arrival-notices/{ready.pk}/arrive/", {"arrived_on": "2020-03-02"}, format="json"
    )
    assert other.status_code == 404
    ArrivalNotice.objects.filter(pk=ready.pk).update(status=NoticeStatus.INSPECTION)
    response = _arrive(world, ready, arrived_on="2020-03-02")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_ready"


def test_the_page_records_an_arrival(world: World, ready: ArrivalNotice) -> None:
    page = world.client(world.wanping_worker)
    detail = page.get(f"/arrivals/notices/{ready.pk}/").content.decode()
    assert f"/arrivals/notices/{ready.pk}/arrive/" in detail
    form = page.get(f"/arrivals/notices/{ready.pk}/arrive/")
    assert form.status_code == 200
    rows = list(ready.people.order_by("id"))
    bad = page.post(f"/arrivals/notices/{ready.pk}/arrive/", {"arrived_on": "2020-03-09"})
    assert bad.status_code == 400 and "还没有到" in bad.content.decode()
    done = page.post(
        f"/arrivals/notices/{ready.pk}/arrive/",
        {"arrived_on": "2020-03-02", "people": [rows[0].pk, rows[1].pk], "no_show": [rows[2].pk]},
    )
    assert done.status_code == 302
    shown = page.get(f"/arrivals/notices/{ready.pk}/").content.decode()
    assert shown.count('data-arrival="arrived"') == 2 and shown.count('data-arrival="no_show"') == 1


def test_a_notice_past_its_day_without_everyone_is_overdue(
    world: World, ready: ArrivalNotice, clock: Any
) -> None:
    assert list(notices_overdue(user=world.wanping_worker)) == []
    clock.move_to(dt.datetime(2020, 3, 6, 9, tzinfo=SH))
    assert list(notices_overdue(user=world.wanping_worker)) == [ready]
    assert list(notices_overdue(user=world.zhenguosi_worker)) == []
    listed = world.client(world.wanping_worker).get("/arrivals/notices/", {"status": "overdue"})
    assert listed.status_code == 200 and f"/arrivals/notices/{ready.pk}/" in listed.content.decode()
    _arrive(world, ready, arrived_on="2020-03-05")
    assert list(notices_overdue(user=world.wanping_worker)) == []


def test_a_failed_place_is_rescheduled_over_the_api(world: World) -> None:
    from tests.arrivals.test_notices import ALL_HOME_ITEMS

    policy_seed_2020()
    filed = file_notice(world, world.wanping_worker, planned_on="2020-03-04")
    notice_id = filed.json()["id"]
    failing = {**ALL_HOME_ITEMS, next(iter(ALL_HOME_ITEMS)): False}
    failed = inspect(
        world, world.wanping_worker, notice_id, checklist=failing, reasons="无独立房间"
    )
    assert failed.status_code == 201
    assert ArrivalNotice.objects.get(pk=notice_id).status == NoticeStatus.FAILED
    response = world.api(world.wanping_worker).post(
        f"/api/v1/arrival-notices/{notice_id}/reschedule/",
        {"planned_on": "2020-03-20", "building": "城内街14号院"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["planned_on"] == "2020-03-20"
    assert response.json()["status"] == NoticeStatus.INSPECTION


def test_a_notice_filed_without_an_account_over_the_api(world: World) -> None:
    from fangkong.arrivals.notices.selectors import notice_link_token

    policy_seed_2020()
    token = notice_link_token(world.areas["110106014001"])
    body: dict[str, Any] = {
        "filed_by": "landlord",
        "filer_name": "房东老王",
        "filer_phone": "13800001111",
        "origin_code": "130000",
        "planned_on": "2020-03-05",
        "mode": "home",
        "building": "城内街12号院",
        "people": workers(1, start=880),
    }
    client = world.api(world.guard)
    client.credentials()  # no account
    filed = client.post(f"/api/v1/public-notices/{token}/", body, format="json")
    assert filed.status_code == 201, filed.json()
    assert filed.json()["status"] == NoticeStatus.PENDING and "-" in filed.json()["reference"]
    assert client.post("/api/v1/public-notices/forged/", body, format="json").status_code == 404
    worker_filed = body | {"filed_by": "worker"}
    refused = client.post(f"/api/v1/public-notices/{token}/", worker_filed, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "filed_by"
