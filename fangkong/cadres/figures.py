"""Cadres' figures for the daily report (fangkong.core.figures): cadres on duty (an open
deployment that day), signed in, and unwell at the health check. Stored figures are
columns on reports.DailyFigures (reports migration 0006_care_figures)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.cadres.models import Deployment, HealthCheck, SignIn
from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped


def _count(span: Span) -> Counts:
    deployed = Deployment.objects.filter(starts_on__lte=span.on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=span.on)
    )
    yield from grouped(span, deployed, "area_id", "cadres_on_duty")
    yield from grouped(span, SignIn.objects.filter(on=span.on), "area_id", "cadres_signed_in")
    unwell = HealthCheck.objects.filter(on=span.on, fit=False)
    yield from grouped(span, unwell, "area_id", "cadres_unwell")


FIGURES = (
    Figure("cadres_on_duty", _("下沉干部在岗"), _("人"), _("当日在下沉安排期内的干部"), "cadres"),
    Figure(
        "cadres_signed_in", _("下沉干部签到"), _("人"), _("当日在社区（村）签到的干部"), "cadres"
    ),
    Figure(
        "cadres_unwell",
        _("下沉干部身体不适"),
        _("人"),
        _("当日健康监测发热或有症状、不能上岗的干部"),
        "cadres",
    ),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)
