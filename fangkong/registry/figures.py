"""The registry's figures in the daily report (fangkong.core.figures): who is registered."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped
from fangkong.registry.models import Person


def _people(span: Span) -> Counts:
    registered = Person.objects.filter(created_at__lt=span.end, merged_into__isnull=True)
    yield from grouped(span, registered, "area_id", "people")


FIGURE_SET = FigureSet(
    figures=(Figure("people", _("登记人数"), _("人"), _("截至当日登记在册的人数"), "people"),),
    count=_people,
)
