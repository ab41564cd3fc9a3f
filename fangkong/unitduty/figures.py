"""Units' duty in the daily report (fangkong.core.figures), counted where the units are:
units reporting and units there are, on-site breaches and sick absences of the day's
reports, findings open and overdue at the day's end."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped
from fangkong.unitduty.models import Finding, FindingSource, SickAbsence, UnitReport
from fangkong.units.models import Unit


def _count(span: Span) -> Counts:
    yield from grouped(span, Unit.objects.all(), "area_id", "units_expected")
    reports = UnitReport.objects.filter(day=span.on)
    yield from grouped(span, reports, "unit__area_id", "units_reporting")
    breaches = Finding.objects.filter(source=FindingSource.ONSITE_RATE, report__day=span.on)
    yield from grouped(span, breaches, "unit__area_id", "units_onsite_breaches")
    sick = SickAbsence.objects.filter(report__day=span.on)
    yield from grouped(span, sick, "report__unit__area_id", "units_sick_absences")
    open_at_end = Finding.objects.filter(raised_at__lt=span.end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=span.end)
    )
    yield from grouped(span, open_at_end, "unit__area_id", "units_findings_open")
    overdue = open_at_end.filter(deadline__lt=span.on)
    yield from grouped(span, overdue, "unit__area_id", "units_findings_overdue")


FIGURES = (
    Figure("units_reporting", _("单位日报已报"), _("家"), _("当日填报日报的单位"), "units"),
    Figure("units_expected", _("辖区单位"), _("家"), _("登记在册的单位（应报日报）"), "units"),
    Figure(
        "units_onsite_breaches",
        _("在岗率超限"),
        _("家"),
        _("当日日报在岗率超过政策上限的单位"),
        "units",
    ),
    Figure("units_sick_absences", _("因病缺勤"), _("人"), _("当日单位日报中的因病缺勤"), "units"),
    Figure("units_findings_open", _("待整改事项"), _("项"), _("当日结束时未整改的事项"), "units"),
    Figure(
        "units_findings_overdue",
        _("逾期整改事项"),
        _("项"),
        _("当日结束时已过整改期限仍未整改的事项"),
        "units",
    ),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)
