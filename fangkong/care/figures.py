"""Care's figures for the daily report (fangkong.core.figures): care calls made, requests
raised, done and overdue at the day's end, and the median hours from raised to done of the
requests done that day. Stored figures are columns on reports.DailyFigures (reports
migrations 0006_care_figures, 0008_care_done_minutes). A median is not a sum over areas:
each area stores the histogram of its done requests by whole minutes to done
(`care_done_minutes`), the histograms are summed over the subtree when read, and the
median is taken from the sum (core.figures.Figure.median_of)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.care.models import CareCall, CareRequest, RequestStatus
from fangkong.care.selectors import minutes_to_done
from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped, histogram


def _count(span: Span) -> Counts:
    calls = CareCall.objects.filter(on=span.on).exclude(outcome="no_answer")
    yield from grouped(span, calls, "observation__area_id", "care_calls")
    raised = CareRequest.objects.filter(raised_at__gte=span.start, raised_at__lt=span.end)
    yield from grouped(span, raised, "area_id", "care_requests")
    done = CareRequest.objects.filter(
        status=RequestStatus.DONE, closed_at__gte=span.start, closed_at__lt=span.end
    )
    yield from grouped(span, done, "area_id", "care_done")
    minutes: dict[int, list[int]] = {}
    for area_id, raised_at, closed_at in span.within(done).values_list(
        "area_id", "raised_at", "closed_at"
    ):
        minutes.setdefault(area_id, []).append(minutes_to_done(raised_at, closed_at))
    for area_id, values in minutes.items():
        yield area_id, "care_done_minutes", histogram(values)
    # Open at the day's end and past the deadline by then.
    overdue = CareRequest.objects.filter(raised_at__lt=span.end, due_at__lt=span.end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=span.end)
    )
    yield from grouped(span, overdue, "area_id", "care_overdue")


FIGURES = (
    Figure("care_calls", _("关怀电话"), _("次"), _("当日接通的关怀电话"), "care"),
    Figure("care_requests", _("隔离家庭求助"), _("项"), _("当日提出的求助"), "care"),
    Figure("care_done", _("求助已完成"), _("项"), _("当日办结完成的求助"), "care"),
    Figure(
        "care_overdue",
        _("求助超时未办结"),
        _("项"),
        _("当日结束时已过办结时限仍未办结的求助"),
        "care",
    ),
    Figure(
        "care_median_hours",
        _("中位办结时长"),
        _("小时"),
        _("当日办结完成的求助从提出到完成所用时间的中位数；当日没有完成的求助时为空"),
        "care",
        median_of="care_done_minutes",
        scale=1 / 60,
    ),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count, breakdowns=("care_done_minutes",))
