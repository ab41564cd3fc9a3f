"""What a daily figure is, so that each module can declare its own (fangkong.core.modules):
the reports app collects them, counts them per area and day, and sums them over subtrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

# (area id, figure key, n): what a module's counter yields for one day. A figure whose
# value is a breakdown (e.g. denials by reason) yields a {code: n} dict instead of n.
Counts = Iterator[tuple[int, str, Any]]
DayCounter = Callable[[dt.date, dt.datetime, dt.datetime], Counts]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # lazy Chinese label
    unit: Any
    help: Any  # the one line shown on hover
    group: str  # "people", "arrivals", "observation", "health", "gates"
    # A derived figure is not stored: it is the sum of these stored figures when read.
    sum_of: tuple[str, ...] = ()

    @property
    def stored(self) -> bool:
        return not self.sum_of


@dataclass(frozen=True)
class FigureSet:
    """A module's figures (in the order the report shows them), the counter of a day
    (`count(on, start, end)`: the day, and its first moment and the next day's), and the
    keys of breakdowns (dict values) it yields besides."""

    figures: tuple[Figure, ...]
    count: DayCounter
    breakdowns: tuple[str, ...] = ()


def grouped(qs: Any, area: str, key: str) -> Counts:
    """Rows of `qs` counted per area (the `area` lookup), as figure `key`."""
    for row in qs.values(area).annotate(n=models.Count("pk")).order_by():
        yield row[area], key, row["n"]
