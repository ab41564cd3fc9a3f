"""Rounds' figures in the daily report (fangkong.core.figures), per place's area:

* rounds_done — records of rounds done that day;
* rounds_planned — rounds the plans in force that day ask for (every 4 h: 6; twice a day: 2);
* rounds_overdue — plans whose next round was overdue at the day's end (today: now).
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped
from fangkong.rounds.models import Plan, Record
from fangkong.rounds.selectors import active_plans, due_of, with_last_done


def _count(span: Span) -> Counts:
    done = Record.objects.filter(done_at__gte=span.start, done_at__lt=span.end)
    yield from grouped(span, done, "plan__place__area_id", "rounds_done")
    moment = min(timezone.now(), span.end)
    plans = with_last_done(
        active_plans(span.within(Plan.objects.all(), "place__area_id"), span.on), moment
    ).select_related("place")
    planned: Counter[int] = Counter()
    overdue: Counter[int] = Counter()
    for plan in plans:
        area_id = plan.place.area_id
        planned[area_id] += plan.per_day
        if due_of(plan, plan.last_done_at, moment).overdue:  # type: ignore[attr-defined]
            overdue[area_id] += 1
    for area_id, n in planned.items():
        yield area_id, "rounds_planned", n
    for area_id, n in overdue.items():
        yield area_id, "rounds_overdue", n


FIGURES = (
    Figure(
        "rounds_done",
        _("巡查消杀完成"),
        _("次"),
        _("当日记录的巡逻检查和消杀作业次数"),
        "duty",
    ),
    Figure(
        "rounds_planned",
        _("巡查消杀计划"),
        _("次"),
        _("当日各点位计划中的巡逻检查和消杀作业次数"),
        "duty",
    ),
    Figure(
        "rounds_overdue",
        _("巡查消杀逾期"),
        _("项"),
        _("到当日结束（今天：到现在）超过间隔仍未做的巡查消杀"),
        "duty",
    ),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)
