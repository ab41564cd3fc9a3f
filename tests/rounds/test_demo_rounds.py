"""The rounds demo (issue 15, item 9): 镇国寺's 22 buildings, their stairwells or lifts and
rubbish stations, disinfection twice a day and a patrol every 4 hours, this morning's
records, exactly one overdue round — whatever the hour it is loaded — and a second load
that adds nothing."""

from __future__ import annotations

import pytest
import time_machine

from fangkong.rounds.demo import load_demo, load_demo_rounds
from fangkong.rounds.models import Place, PlaceKind, Plan, Record, RoundKind
from fangkong.rounds.selectors import rounds_due
from tests.conftest import ZHENGUOSI, World
from tests.rounds.test_rounds import at


@pytest.mark.parametrize("hour", [1, 7, 10, 23])
def test_the_demo_has_22_buildings_and_one_overdue_round(world: World, hour: int) -> None:
    with time_machine.travel(at(hour, 20), tick=False):
        created, places, plans, records = load_demo_rounds()
        assert created and (places, plans) == (44, 66) and records >= 66
        zhenguosi = Place.objects.filter(area__code=ZHENGUOSI)
        assert zhenguosi.values("building").distinct().count() == 22
        assert zhenguosi.filter(kind=PlaceKind.LIFT).count() == 8
        assert zhenguosi.filter(kind=PlaceKind.STAIRWELL).count() == 14
        assert zhenguosi.filter(kind=PlaceKind.RUBBISH).count() == 22
        assert set(
            Plan.objects.filter(kind=RoundKind.DISINFECTION).values_list("times_a_day", "agent")
        ) == {(2, "chlorine")}
        assert set(
            Plan.objects.filter(kind=RoundKind.PATROL).values_list("every_hours", flat=True)
        ) == {4}
        due = rounds_due(user=world.zhenguosi_worker)
        overdue = [d for d in due if d.overdue]
        assert [str(d.plan) for d in overdue] == ["7号楼 垃圾桶站 消杀作业"]
        assert overdue[0].late_minutes == 50
        assert rounds_due(user=world.wanping_worker) == []
        if hour >= 10:  # this morning's disinfection is on record
            morning = Record.objects.filter(
                plan__kind=RoundKind.DISINFECTION, done_at__gte=at(7), done_at__lt=at(9)
            )
            assert morning.count() == 43
        assert load_demo() == "demo rounds: 镇国寺社区 already has its places"
        assert Record.objects.count() == records
        assert all(d.due_at > at(hour, 20) for d in due if not d.overdue)
