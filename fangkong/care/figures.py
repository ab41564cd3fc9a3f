"""Care's figures for the daily report (fangkong.core.figures): care calls made, requests
raised, done and overdue at the day's end. Stored figures are columns on
reports.DailyFigures (reports migration 0006_care_figures). The median hours to done is
not a sum over areas: the care pages and API give it (selectors.median_hours_to_done)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.care.models import CareCall, CareRequest, RequestStatus
from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped


def _count(span: Span) -> Counts:
    calls = CareCall.objects.filter(on=span.on).exclude(outcome="no_answer")
    yield from grouped(span, calls, "observation__area_id", "care_calls")
    raised = CareRequest.objects.filter(raised_at__gte=span.start, raised_at__lt=span.end)
    yield from grouped(span, raised, "area_id", "care_requests")
    done = CareRequest.objects.filter(
        status=RequestStatus.DONE, closed_at__gte=span.start, closed_at__lt=span.end
    )
    yield from grouped(span, done, "area_id", "care_done")
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
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)
