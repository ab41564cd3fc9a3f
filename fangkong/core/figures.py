"""What a daily figure is, so that each module can declare its own (fangkong.core.modules):
the reports app collects them, counts them per area and day, and sums them over subtrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.dispatch import Signal

# (area id, figure key, n): what a module's counter yields for one day. A figure whose
# value is a breakdown (e.g. denials by reason) yields a {code: n} dict instead of n.
Counts = Iterator[tuple[int, str, Any]]


@dataclass(frozen=True)
class Span:
    """What a counter counts: the day `on`, its first moment `start` and the next day's
    `end`, and `areas` — only the records of these area ids (a recount of the areas where
    something changed), or all of them (None)."""

    on: dt.date
    start: dt.datetime
    end: dt.datetime
    areas: frozenset[int] | None = None

    def within(self, qs: Any, area: str = "area_id") -> Any:
        """`qs` cut to `areas` through the lookup `area` (e.g. "observation__area_id")."""
        return qs if self.areas is None else qs.filter(**{f"{area}__in": self.areas})


DayCounter = Callable[[Span], Counts]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # lazy Chinese label
    unit: Any
    help: Any  # the one line shown on hover
    group: str  # "people", "arrivals", "observation", "health", "gates"
    # A derived figure is not stored: it is the sum of these stored figures when read…
    sum_of: tuple[str, ...] = ()
    # …or the median of a stored breakdown that is a histogram ({value: n}, the value an
    # integer as text, e.g. minutes), taken when read from the histogram summed over the
    # subtree (so a street's median is that of all its records, not a mean of medians),
    # times `scale` and rounded to `digits`; None when the histogram is empty.
    median_of: str = ""
    scale: float = 1
    digits: int = 1

    @property
    def stored(self) -> bool:
        return not self.sum_of and not self.median_of

    def median(self, histogram: dict[str, int]) -> float | None:
        return histogram_median(histogram, scale=self.scale, digits=self.digits)

    def shown(self, value: Any) -> str:
        """The value as a page shows it: "—" for none, a median with its digits."""
        if value is None:
            return "—"
        if self.median_of:
            return f"{value:.{self.digits}f}"
        return str(value)


def histogram_median(
    histogram: dict[str, int], *, scale: float = 1, digits: int = 1
) -> float | None:
    """The median of the values a histogram {value: n} counts (the mean of the middle two
    when their number is even), times `scale`, rounded to `digits`."""
    pairs = sorted((int(v), n) for v, n in histogram.items() if n > 0)
    total = sum(n for _v, n in pairs)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # 0-based ranks of the middle one or two
    found: list[int] = []
    seen = 0
    for value, n in pairs:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return round(sum(found) / 2 * scale, digits)


def histogram(values: Iterable[int]) -> dict[str, int]:
    """{value: n} of integer values, for a histogram breakdown (keys as text: JSON)."""
    out: dict[str, int] = {}
    for v in values:
        out[str(v)] = out.get(str(v), 0) + 1
    return out


@dataclass(frozen=True)
class FigureSet:
    """A module's figures (in the order the report shows them), the counter of a day
    (`count(span)`), and the keys of breakdowns (dict values) it yields besides."""

    figures: tuple[Figure, ...]
    count: DayCounter
    breakdowns: tuple[str, ...] = ()
    # For writes that leave no other trace (the gate check's single INSERT): the ids of
    # the areas whose records changed in `span` since a moment.
    touched: Callable[[Span, dt.datetime], set[int]] | None = None


def grouped(span: Span, qs: Any, area: str, key: str, n: Any = None) -> Counts:
    """Rows of `qs` counted per area (the `area` lookup), as figure `key`; `n` is another
    aggregate to take instead of the count (a sum of weights, say)."""
    total = models.Count("pk") if n is None else n
    for row in span.within(qs, area).values(area).annotate(n=total).order_by():
        yield row[area], key, row["n"]


# Sent by a service after a bulk write that Django's model signals do not see (an import's
# COPY, a set-based UPDATE), with `areas` (ids) and `on` (the day whose figures changed).
figures_touched = Signal()
