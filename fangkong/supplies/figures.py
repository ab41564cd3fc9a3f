"""Supplies' figures for the daily report (fangkong.core.figures): store × item pairs
below their minimum at the day's end (balance = the ledger up to then), and the day's
hand-outs (movements, not quantities).

Stored figures need columns on reports.DailyFigures (`supplies_low`,
`supplies_handouts`); until the integrator adds them (one reports migration with duty's
and rounds' figures), MODULE does not name this set."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped
from fangkong.supplies.models import Movement, MovementKind, StockLevel


def _low(span: Span) -> Counts:
    levels = span.within(StockLevel.objects.filter(minimum__gt=0), "store__area_id")
    minimum = {
        (row["store_id"], row["item_id"]): (row["store__area_id"], row["minimum"])
        for row in levels.values("store_id", "item_id", "store__area_id", "minimum")
    }
    if not minimum:
        return
    stores = {store for store, _item in minimum}
    totals = {
        (row["store_id"], row["item_id"]): row["n"]
        for row in Movement.objects.filter(store_id__in=stores, at__lt=span.end)
        .values("store_id", "item_id")
        .annotate(n=Sum("quantity"))
        .order_by()
    }
    low: dict[int, int] = {}
    for key, (area_id, line) in minimum.items():
        if totals.get(key, 0) < line:
            low[area_id] = low.get(area_id, 0) + 1
    for area_id, n in low.items():
        yield area_id, "supplies_low", n


def _count(span: Span) -> Counts:
    yield from _low(span)
    handouts = Movement.objects.filter(
        kind=MovementKind.HANDOUT, at__gte=span.start, at__lt=span.end
    )
    yield from grouped(span, handouts, "store__area_id", "supplies_handouts")


FIGURES = (
    Figure(
        "supplies_low",
        _("物资低于最低库存"),
        _("项"),
        _("当日结束时低于最低库存的物资（每个物资库的每种物资算一项）"),
        "duty",
    ),
    Figure(
        "supplies_handouts",
        _("物资发放"),
        _("次"),
        _("当日从各物资库发放防护物资的次数"),
        "duty",
    ),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)
