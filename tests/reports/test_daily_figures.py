"""Every figure at every level and every day of the known world (tests/reports/conftest.py),
as snapshotted night by night and as rebuilt from the records; the day before; the
children; the range form; scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fangkong.registry.models import Person, Whereabouts
from fangkong.registry.people.services import person_update
from fangkong.reports.models import DailyFigures, DayBuild
from tests.conftest import FENGTAI, WANPING, WANPING_STREET, ZHENGUOSI, World
from tests.reports.conftest import (
    CHENGNEI,
    D1,
    D2,
    D3,
    MAJIABAO,
    REASONS,
    SH,
    Z1,
    ZHENGUOSI_DAYS,
    at,
    expected,
    figures,
)


def read(world: World, code: str, day: dt.date, user: Any = None) -> dict[str, Any]:
    response = world.api(user or world.district_officer).get(
        "/api/v1/reports/daily/", {"area": code, "date": day.isoformat()}
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


LEVELS = [Z1, WANPING, WANPING_STREET, ZHENGUOSI, MAJIABAO, FENGTAI]


def assert_every_level_and_day(world: World) -> None:
    for day in (D1, D2, D3):
        for code in LEVELS:
            body = read(world, code, day)
            assert body["figures"] == expected(code, day), (code, day)
            if code != ZHENGUOSI and code != MAJIABAO:
                assert body["denials_by_reason"] == REASONS[day], (code, day)


def test_every_figure_at_every_level_as_snapshotted_each_night(story: World) -> None:
    with at(D3, 20):
        assert DayBuild.objects.get(on=D1).final and DayBuild.objects.get(on=D2).final
        assert_every_level_and_day(story)
        # The day before, for the change since yesterday.
        body = read(story, FENGTAI, D2)
        assert body["previous"] == expected(FENGTAI, D1)
        assert body["final"] is True


def test_every_missed_day_is_rebuilt_from_the_records_with_the_same_figures(story: World) -> None:
    DailyFigures.objects.all().delete()
    DayBuild.objects.all().delete()
    with at(D3, 20):
        assert_every_level_and_day(story)
    assert set(DayBuild.objects.values_list("on", flat=True)) >= {D1, D2, D3}


def test_the_children_table_drills_down_one_level(story: World) -> None:
    with at(D3, 20):
        district = read(story, FENGTAI, D2)
        children = {c["area"]["code"]: c for c in district["children"]}
        assert children[WANPING_STREET]["figures"] == CHENGNEI[D2]
        assert children[MAJIABAO]["figures"] == ZHENGUOSI_DAYS[D2]
        assert all(
            c["figures"] == figures()
            for k, c in children.items()
            if k not in (WANPING_STREET, MAJIABAO)
        )
        community = read(story, WANPING, D2)
        zones = {c["area"]["code"]: c["figures"] for c in community["children"]}
        assert set(zones) == {Z1, f"{WANPING}Z2", f"{WANPING}Z3"}
        assert zones[Z1] == CHENGNEI[D2]
        assert zones[f"{WANPING}Z2"] == figures()
        assert community["children"][0]["denials_by_reason"] == REASONS[D2]


def test_a_final_day_keeps_what_was_true_that_day(story: World) -> None:
    """Q comes back on day 3 without an observation (a correction in the registry): day 2's
    final figures still count Q as not back; today's count drops."""
    q = Person.objects.get(name="戊")
    with at(D3, 21):
        person_update(
            actor=story.zhenguosi_worker, person=q, data={"whereabouts": Whereabouts.IN_BEIJING}
        )
        assert read(story, ZHENGUOSI, D2)["figures"]["not_back"] == 3
        DayBuild.objects.filter(on=D3).update(built_at=dt.datetime(2020, 2, 20, 8, tzinfo=SH))
        assert read(story, ZHENGUOSI, D3)["figures"]["not_back"] == 2


def test_a_range_gives_one_entry_per_day(story: World) -> None:
    with at(D3, 20):
        response = story.api(story.wanping_officer).get(
            "/api/v1/reports/daily/range/",
            {"area": WANPING_STREET, "from": D1.isoformat(), "to": D3.isoformat()},
        )
    assert response.status_code == 200, response.content
    days = response.json()["days"]
    assert [d["date"] for d in days] == ["2020-02-18", "2020-02-19", "2020-02-20"]
    assert [d["figures"] for d in days] == [CHENGNEI[D1], CHENGNEI[D2], CHENGNEI[D3]]


def test_a_worker_reads_only_their_own_community(story: World) -> None:
    with at(D3, 20):
        own = read(story, ZHENGUOSI, D2, user=story.zhenguosi_worker)
        assert own["figures"] == ZHENGUOSI_DAYS[D2]
        default = story.api(story.zhenguosi_worker).get(
            "/api/v1/reports/daily/", {"date": "2020-02-19"}
        )
        assert default.json()["area"]["code"] == ZHENGUOSI
        for code in (WANPING, Z1, FENGTAI):
            response = story.api(story.zhenguosi_worker).get(
                "/api/v1/reports/daily/", {"area": code, "date": "2020-02-19"}
            )
            assert response.status_code == 400
            assert response.json()["errors"][0]["field"] == "area"
