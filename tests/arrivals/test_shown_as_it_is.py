"""What the pages and the API show is what holds: a unit observation without an address,
a pass whose holder is under observation, a person without a document, a release that
cannot happen yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fangkong.access.services import pass_issue
from fangkong.arrivals.observation.services import observation_start
from fangkong.policy.services import policy_seed_2020
from fangkong.units.services import unit_get_or_register
from tests.conftest import WANPING, WANPING_ZONE, World
from tests.factories import make_person

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2020, 3, 2)


@pytest.fixture(autouse=True)
def _today(world: World) -> Iterator[None]:
    policy_seed_2020()
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH), tick=False):
        yield


def test_a_unit_observation_without_an_address_has_a_null_address(world: World) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING], "工人甲")
    unit = unit_get_or_register(area=world.areas[WANPING], name="地铁16号线施工单位")
    observation = observation_start(
        actor=world.wanping_worker,
        person=person,
        area=world.areas[WANPING],
        mode="unit",
        arrived_on=TODAY,
        unit=unit,
    )
    body = world.api(world.wanping_worker).get(f"/api/v1/observations/{observation.pk}/").json()
    assert body["address"] is None and body["unit"] == "地铁16号线施工单位"


def test_a_pass_is_suspended_while_its_holder_is_observed(world: World) -> None:
    zone = world.areas[WANPING_ZONE]
    person = make_person(world.wanping_worker, zone, "李观察", building="城内街5号院")
    card = pass_issue(
        actor=world.wanping_worker, person=person, area=zone, kind="resident", verified=True
    )
    api = world.api(world.wanping_worker)
    listed = {p["id"]: p for p in api.get("/api/v1/passes/").json()["results"]}
    assert listed[card.pk]["effective_status"] == "active"
    observation_start(
        actor=world.wanping_worker, person=person, area=zone, mode="home", arrived_on=TODAY
    )
    listed = {p["id"]: p for p in api.get("/api/v1/passes/").json()["results"]}
    assert listed[card.pk]["effective_status"] == "suspended"
    page = world.client(world.wanping_worker)
    assert "暂停使用" in page.get("/access/passes/").content.decode()
    assert "持证人在观察期内" in page.get(f"/access/passes/{card.pk}/").content.decode()


def test_a_person_without_a_document_shows_no_document_type(world: World) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING], "无证人", document_number="")
    body = world.api(world.wanping_worker).get(f"/api/v1/people/{person.pk}/").json()
    assert body["document_type"] is None and body["document_number"] == ""
    page = world.client(world.wanping_worker).get(f"/registry/people/{person.pk}/")
    html = page.content.decode()
    assert "无证件" in html and "居民身份证" not in html


def test_release_is_offered_only_from_its_first_day(world: World) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING], "王放")
    observation = observation_start(
        actor=world.wanping_worker,
        person=person,
        area=world.areas[WANPING],
        mode="home",
        arrived_on=dt.date(2020, 2, 20),
    )
    page = world.client(world.wanping_worker)
    html = page.get(f"/arrivals/observations/{observation.pk}/").content.decode()
    assert "data-release-later" in html and "2020-03-05 才能解除" in html
    with time_machine.travel(dt.datetime(2020, 3, 5, 9, tzinfo=SH), tick=False):
        page = world.client(world.wanping_worker)  # a new session: the old one timed out
        html = page.get(f"/arrivals/observations/{observation.pk}/").content.decode()
        assert 'name="release-on" value="2020-03-05"' in html
        done = page.post(
            f"/arrivals/observations/{observation.pk}/release/", {"release-on": "2020-03-05"}
        )
    assert done.status_code == 302


def test_todays_missing_half_day_is_named(world: World) -> None:
    from fangkong.arrivals.health.services import report_submit

    person = make_person(world.wanping_worker, world.areas[WANPING], "赵报")
    observation = observation_start(
        actor=world.wanping_worker,
        person=person,
        area=world.areas[WANPING],
        mode="home",
        arrived_on=dt.date(2020, 2, 25),
    )
    report_submit(
        observation=observation,
        on=TODAY,
        slot="morning",
        temperature="36.5",
        symptoms=[],
        by_self=True,
    )

    def today_cell(hour: int) -> str:
        with time_machine.travel(dt.datetime(2020, 3, 2, hour, tzinfo=SH), tick=False):
            html = (
                world.client(world.wanping_worker).get("/arrivals/observations/").content.decode()
            )
        start = html.index("今日：")
        return html[start : html.index("</div>", start)]

    morning = today_cell(10)
    assert (
        "上午 <b" in morning
        and "36.5°C" in morning
        and '下午 <span class="text-muted">待报' in morning
    )
    afternoon = today_cell(15)
    assert '下午 <b class="text-danger" data-missing>未报' in afternoon
