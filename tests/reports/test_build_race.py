"""Two builds of one day at once (the beat refresh and a page read, or two nights' catch-up):
both finish, and the day has one row per area (PostgreSQL; SQLite writes one at a time)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from fangkong.reports.models import DailyFigures, DayBuild
from fangkong.reports.services import build_day
from tests.conftest import WANPING_ZONE, ZHENGUOSI, World
from tests.factories import make_person


@pytest.mark.django_db(transaction=True)
def test_two_builds_of_one_day_at_once_leave_one_row_per_area(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")
    make_person(world.wanping_worker, world.areas[WANPING_ZONE], "甲")
    make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "乙")
    today = timezone.localdate()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def build() -> None:
        try:
            barrier.wait()
            build_day(today)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert DayBuild.objects.filter(on=today).count() == 1
    rows = DailyFigures.objects.filter(on=today)
    assert sorted(rows.values_list("area__code", "people")) == [(WANPING_ZONE, 1), (ZHENGUOSI, 1)]
