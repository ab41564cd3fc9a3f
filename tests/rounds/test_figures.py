"""Rounds in the daily report: done today, planned today, overdue now — for 镇国寺 and
summed up to its street; recording the overdue round takes it off at once."""

from __future__ import annotations

import datetime as dt

import time_machine

from fangkong.areas.models import Area
from fangkong.reports.selectors import day_figures
from fangkong.rounds.services import place_create, plan_create, record_round
from tests.conftest import ZHENGUOSI, World
from tests.rounds.test_rounds import DAY, at


def test_the_daily_report_counts_rounds_done_planned_and_overdue(world: World) -> None:
    worker = world.zhenguosi_worker
    area = world.areas[ZHENGUOSI]
    with time_machine.travel(at(8), tick=False) as clock:
        lift = place_create(actor=worker, area=area, kind="lift", building="3号楼", name="电梯")
        bins = place_create(
            actor=worker, area=area, kind="rubbish", building="3号楼", name="垃圾桶站"
        )
        patrol = plan_create(
            actor=worker,
            place=lift,
            kind="patrol",
            every_hours=4,
            active_from=DAY - dt.timedelta(days=1),
        )
        clean = plan_create(
            actor=worker,
            place=bins,
            kind="disinfection",
            times_a_day=2,
            agent="chlorine",
            active_from=DAY,
        )
        record_round(actor=worker, plan=patrol, done_at=at(7))
        record_round(actor=worker, plan=clean, done_at=at(7, 30))
        record_round(actor=worker, plan=patrol, done_at=at(6, 0, DAY - dt.timedelta(days=1)))
        clock.move_to(at(12))  # the patrol was due at 11:00
        figures = day_figures(area=area, on=DAY, compare=False).figures
        assert (figures["rounds_done"], figures["rounds_planned"], figures["rounds_overdue"]) == (
            2,
            6 + 2,
            1,
        )
        street = Area.objects.get(code=ZHENGUOSI[:9])
        assert day_figures(area=street, on=DAY, compare=False).figures["rounds_overdue"] == 1
        record_round(actor=worker, plan=patrol)
        figures = day_figures(area=area, on=DAY, compare=False).figures
        assert (figures["rounds_done"], figures["rounds_overdue"]) == (3, 0)
