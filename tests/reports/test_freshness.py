"""Today's figures reflect every committed change when read, and every level agrees with
its children — without rebuilding the district (FiguresChange, reports.receivers)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.access import auth, checks
from fangkong.access.models import GateCheck
from fangkong.access.services import gate_create
from fangkong.registry.people.services import person_update
from fangkong.reports.figures import FIGURE
from fangkong.reports.models import DayBuild, FiguresChange
from fangkong.reports.selectors import day_figures
from tests.access.conftest import CHENGNEI, resident_with_pass
from tests.conftest import FENGTAI, WANPING, ZHENGUOSI, World
from tests.factories import make_person

NOON = dt.datetime(2020, 3, 2, 4, tzinfo=dt.UTC)  # 12:00 in Beijing
TODAY = dt.date(2020, 3, 2)


def _district(world: World) -> dict[str, int]:
    return day_figures(area=world.areas[FENGTAI], on=TODAY).figures


def _agrees(world: World) -> None:
    day = day_figures(area=world.areas[FENGTAI], on=TODAY)
    for key, total in day.figures.items():
        if FIGURE[key].median_of:  # a median is not the sum of the children's
            continue
        assert total == sum(c.values[key] for c in day.children), key


def test_a_registration_shows_at_once_at_every_level(world: World) -> None:
    with time_machine.travel(NOON, tick=False):
        before = _district(world)["people"]
        build = DayBuild.objects.get(on=TODAY)
        make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "周新")
        assert _district(world)["people"] == before + 1
        community = day_figures(area=world.areas[ZHENGUOSI], on=TODAY).figures
        assert community["people"] == 1
        _agrees(world)
        # Brought up to date by recounting one area, not by rebuilding the day.
        assert DayBuild.objects.get(on=TODAY).built_at == build.built_at
        assert not FiguresChange.objects.exists()


def test_a_move_recounts_both_communities(world: World) -> None:
    with time_machine.travel(NOON, tick=False):
        person = make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "周新")
        _district(world)
        person_update(actor=world.admin, person=person, data={}, area=world.areas[WANPING])
        assert day_figures(area=world.areas[ZHENGUOSI], on=TODAY).figures["people"] == 0
        assert day_figures(area=world.areas[WANPING], on=TODAY).figures["people"] == 1
        _agrees(world)


def test_a_gate_check_counts_at_once(world: World) -> None:
    checks.caches_clear()
    auth.cache_clear()
    gate = gate_create(actor=world.wanping_worker, area=world.areas[CHENGNEI], name="城内街东门")
    _person, card = resident_with_pass(world)
    with time_machine.travel(NOON, tick=False):
        before = _district(world)["checks"]
        response = world.api(world.guard).post(
            "/api/v1/gate-checks/",
            {
                "check_id": "0190c6f4-0000-7000-8000-000000000001",
                "gate": gate.pk,
                "pass_token": card.token,
                "direction": "in",
                "temperature": 36.5,
            },
            format="json",
        )
        assert response.status_code == 201
        assert GateCheck.objects.filter(area__code=CHENGNEI).count() == 1
        assert _district(world)["checks"] == before + 1
        _agrees(world)


def test_reading_costs_a_recount_of_the_changed_area_only(world: World) -> None:
    with time_machine.travel(NOON, tick=False):
        _district(world)
        make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "周新")
        with CaptureQueriesContext(connection) as queries:
            _district(world)
    counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counting, "the changed area was recounted"
    assert all("IN (" in sql.upper() for sql in counting), "only the changed area's records"
