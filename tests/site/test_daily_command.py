"""`fangkong daily` runs every module's daily steps: pass expiry included."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from fangkong.access.models import Pass, PassStatus
from fangkong.access.services import pass_issue
from tests.access.conftest import CHENGNEI
from tests.conftest import World
from tests.factories import make_person

TODAY = dt.date(2020, 3, 5)


def _pass_ending(world: World, name: str, building: str, until: dt.date) -> Pass:
    """A resident's pass valid until `until`, issued on 2020-03-01."""
    with time_machine.travel(dt.datetime(2020, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        zone = world.areas[CHENGNEI]
        person = make_person(world.wanping_worker, zone, name, building=building)
        return pass_issue(
            actor=world.wanping_worker,
            person=person,
            area=zone,
            kind="resident",
            verified=True,
            valid_until=until,
        )


def test_it_expires_passes_past_their_end_date(world: World) -> None:
    short = _pass_ending(world, "王小明", "城内街3号院", dt.date(2020, 3, 4))
    long = _pass_ending(world, "王小红", "城内街4号院", TODAY)
    with time_machine.travel(dt.datetime(2020, 3, 4, 16, 10, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        call_command("daily", stdout=out)
    short.refresh_from_db()
    long.refresh_from_db()
    assert short.status == PassStatus.EXPIRED
    assert long.status != PassStatus.EXPIRED
    assert "过期出入证: 1" in out.getvalue()


def test_the_dry_run_counts_without_expiring(world: World) -> None:
    card = _pass_ending(world, "王小明", "城内街3号院", dt.date(2020, 3, 4))
    with time_machine.travel(dt.datetime(2020, 3, 4, 16, 10, tzinfo=dt.UTC), tick=False):
        out = StringIO()
        call_command("daily", "--dry-run", stdout=out)
    card.refresh_from_db()
    assert card.status != PassStatus.EXPIRED
    assert "过期出入证: 1" in out.getvalue()


def test_it_refuses_a_day_after_today_unless_told_to_rehearse(world: World) -> None:
    card = _pass_ending(world, "王小明", "城内街3号院", dt.date(2020, 3, 2))
    with time_machine.travel(dt.datetime(2020, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        with pytest.raises(CommandError, match="after today"):
            call_command("daily", "--date", "2020-03-05", stdout=StringIO())
        card.refresh_from_db()
        assert card.status != PassStatus.EXPIRED
        call_command("daily", "--date", "2020-03-05", "--allow-future", stdout=StringIO())
        card.refresh_from_db()
        assert card.status == PassStatus.EXPIRED
