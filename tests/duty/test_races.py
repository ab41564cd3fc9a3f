"""Two planners putting two people on the same new shift instance at the same moment, on
PostgreSQL (SQLite serialises writers): both lines are kept and the instance's numbers
say 2 — the second writer to create the numbers' row adds to it instead of failing."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection, connections

from fangkong.duty import services
from fangkong.duty.models import Assignment, ShiftDay
from tests.conftest import World
from tests.duty.conftest import TODAY, Duty

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only(audit_flushable: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")


def test_two_planners_at_once_are_both_counted(world: World, duty: Duty) -> None:
    for n in range(5):
        day = TODAY + dt.timedelta(days=n + 1)
        barrier = threading.Barrier(2)
        errors: list[Any] = []

        def plan(person: Any, day: dt.date = day, barrier: Any = barrier) -> None:
            try:
                barrier.wait()
                services.assign(
                    actor=world.wanping_worker, shift=duty.evening, day=day, person=person
                )
            except Exception as exc:
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=plan, args=(p,)) for p in duty.people[:2]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert Assignment.objects.filter(shift=duty.evening, day=day).count() == 2
        assert ShiftDay.objects.get(shift=duty.evening, day=day).rostered == 2
