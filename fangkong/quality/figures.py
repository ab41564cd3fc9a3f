"""Production quality in the daily report (fangkong.core.figures), counted where the
producing units are: batches inspected on the day, accepted and rejected."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped
from fangkong.quality.models import Decision, Inspection

_AREA = "batch__product__unit__area_id"


def _count(span: Span) -> Counts:
    day = Inspection.objects.filter(at__gte=span.start, at__lt=span.end)
    yield from grouped(span, day.filter(decision=Decision.ACCEPT), _AREA, "quality_accepted")
    yield from grouped(span, day.filter(decision=Decision.REJECT), _AREA, "quality_rejected")


FIGURES = (
    Figure(
        "quality_inspected",
        _("产品批次抽检"),
        _("批"),
        _("当日按 GB/T 2828.1 抽检的产品批次"),
        "units",
        sum_of=("quality_accepted", "quality_rejected"),
    ),
    Figure("quality_accepted", _("批次接收"), _("批"), _("当日抽检合格接收的批次"), "units"),
    Figure("quality_rejected", _("批次拒收"), _("批"), _("当日抽检不合格拒收的批次"), "units"),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)
