"""Passes' and gates' figures in the daily report (fangkong.core.figures)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from fangkong.access.models import (
    HELD_STATUSES,
    CheckDecision,
    Gate,
    GateCheck,
    Pass,
    PassStatus,
    Visit,
)
from fangkong.arrivals.figures import observing_on
from fangkong.arrivals.models import Observation
from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped


def _passes(span: Span) -> Counts:
    on, end = span.on, span.end
    held = span.within(Pass.objects.filter(issued_at__lt=end)).filter(
        (Q(status__in=HELD_STATUSES) | Q(changed_at__gte=end))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )
    observed = Observation.objects.filter(observing_on(on), person=OuterRef("person_id"))
    rows = (
        held.annotate(observed=Exists(observed))
        .values("area_id")
        .annotate(
            n=Count("pk"),
            suspended=Count(
                "pk",
                filter=Q(status=PassStatus.SUSPENDED, changed_at__lt=end) | Q(observed=True),
            ),
        )
        .order_by()
    )
    for row in rows:
        yield row["area_id"], "passes_active", row["n"] - row["suspended"]
        yield row["area_id"], "passes_suspended", row["suspended"]


def _day_of_checks(span: Span, since: dt.datetime | None = None) -> Any:
    """The gate log of one day (from `since` on, if given), at the gates of `span.areas`.
    Naming every gate lets the (gate, at) index serve it (one index range per gate)
    instead of a scan of the whole log; an index on the time alone would cost every check
    at the gate an extra index write."""
    gates = list(span.within(Gate.objects.all()).values_list("pk", flat=True))
    return GateCheck.objects.filter(gate_id__in=gates, at__gte=since or span.start, at__lt=span.end)


def checked_areas(span: Span, since: dt.datetime) -> set[int]:
    """The areas whose gates logged a check since `since` (the gate check writes no other
    trace, so that the hot path stays one INSERT)."""
    return set(_day_of_checks(span, since).values_list("area_id", flat=True).distinct())


def _gates(span: Span) -> Counts:
    day = _day_of_checks(span)
    rows = (
        day.values("area_id")
        .annotate(n=Count("pk"), denied=Count("pk", filter=Q(decision=CheckDecision.DENY)))
        .order_by()
    )
    for row in rows:
        yield row["area_id"], "checks", row["n"]
        yield row["area_id"], "denials", row["denied"]
    visits = Visit.objects.filter(at__gte=span.start, at__lt=span.end)
    yield from grouped(span, visits, "area_id", "visitors")


def _denials_by_reason(span: Span) -> dict[int, Counter[str]]:
    out: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        _day_of_checks(span)
        .filter(decision=CheckDecision.DENY)
        .values("area_id", "reasons")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        for code in filter(None, row["reasons"].split(",")):
            out[row["area_id"]][code] += row["n"]
    return out


def _count(span: Span) -> Counts:
    yield from _passes(span)
    yield from _gates(span)
    for area_id, reasons in _denials_by_reason(span).items():
        yield area_id, "denials_by_reason", dict(sorted(reasons.items()))


FIGURES = (
    Figure("passes_active", _("有效出入证"), _("张"), _("当日可以正常使用的出入证"), "gates"),
    Figure(
        "passes_suspended",
        _("暂停出入证"),
        _("张"),
        _("当日暂停使用的出入证，多为持证人正在观察、暂不能外出"),
        "gates",
    ),
    Figure("checks", _("门岗查验"), _("次"), _("当日各门岗查验出入的次数"), "gates"),
    Figure("denials", _("禁止通行"), _("次"), _("当日查验中不准通行的次数"), "gates"),
    Figure("visitors", _("访客登记"), _("人次"), _("当日在门岗登记的访客和快递外卖"), "gates"),
)

FIGURE_SET = FigureSet(
    figures=FIGURES,
    count=_count,
    breakdowns=("denials_by_reason",),
    touched=checked_areas,
)
