"""The daily figures: what each one means, and how a day's rows are built from the records.

Every figure is counted per area node where its records live (a person's area, an
observation's area, a gate's zone) and summed over a subtree when read
(fangkong.reports.selectors). `build_day` derives a whole day in a handful of grouped
queries — set-based, idempotent — and replaces that day's rows in one transaction.

How each figure is read off dated records, so that a missed day can be rebuilt:
* people — registered before the day ended and not merged into another record;
* not_back — of those, still recorded as not back, or arriving (observation day 1) after
  the day: they were away on it;
* notices / must_delay — advance notices the community confirmed that day (an unannounced
  arrival is not a notice), and those the policy told to wait;
* observing_* — observations (not cancelled) whose day 1 ≤ the day ≤ their last day and
  which had not ended by it; started / released — day 1 is the day, released on the day;
* fevers — fever alerts raised that day (health reports and gate checks);
* missed_reports — call tasks for reports missed that day; calls_open — call tasks raised
  by the day's end and not done by then;
* passes_active / passes_suspended — passes issued by the day's end, not yet expired, and
  not revoked or expired before it ended; suspended when suspended by a worker or while the
  holder was under observation (the gate refuses exit then);
* checks / denials / denials_by_reason / visitors — the gate log and visitor log of the day.

Figures that describe a state (people, not_back, observing, calls_open, passes) follow
records that change later; a day built after it ended is final and keeps them as they were.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from functools import cache
from typing import Any

from fangkong.core.dates import day_bounds
from fangkong.core.figures import Figure, FigureSet, Span
from fangkong.core.modules import modules, resolve


@cache
def figure_sets() -> tuple[FigureSet, ...]:
    """Every module's figures, in the order of INSTALLED_APPS (fangkong.core.modules)."""
    return tuple(resolve(m.figures) for m in modules() if m.figures)  # type: ignore[misc]


FIGURES: list[Figure] = []
FIGURE: dict[str, Figure] = {}
STORED_KEYS: list[str] = []
BREAKDOWNS: list[str] = []
# The breakdowns a derived figure is read from (the histograms of `median_of` figures).
HISTOGRAMS: list[str] = []


def _collect() -> None:
    """Fill the module-level lists once the apps are loaded (reports is imported late)."""
    for figure_set in figure_sets():
        FIGURES.extend(figure_set.figures)
        BREAKDOWNS.extend(figure_set.breakdowns)
    FIGURE.update({f.key: f for f in FIGURES})
    STORED_KEYS.extend(f.key for f in FIGURES if f.stored)
    HISTOGRAMS.extend(dict.fromkeys(f.median_of for f in FIGURES if f.median_of))


_collect()


def with_derived(
    values: dict[str, int], breakdowns: dict[str, dict[str, int]] | None = None
) -> dict[str, Any]:
    """Stored figures plus the ones derived from them, in FIGURES order: sums of stored
    figures, and medians of the `breakdowns` (already summed over the subtree)."""
    out: dict[str, Any] = dict(values)
    for figure in FIGURES:
        if figure.sum_of:
            out[figure.key] = sum(values.get(k, 0) for k in figure.sum_of)
        elif figure.median_of:
            out[figure.key] = figure.median((breakdowns or {}).get(figure.median_of, {}))
    return {f.key: out.get(f.key, 0) for f in FIGURES}


def add_breakdowns(total: dict[str, dict[str, int]], row: dict[str, Any]) -> None:
    """Add a row's breakdowns ({code: n} under each key of BREAKDOWNS) into `total`."""
    for key in BREAKDOWNS:
        into = total.setdefault(key, {})
        for code, n in (row.get(key) or {}).items():
            into[code] = into.get(code, 0) + n


def count_day(on: dt.date, areas: Collection[int] | None = None) -> dict[int, dict[str, Any]]:
    """Every area's stored figures for `on`, from the records: {area id: {key: n, …}};
    only those of `areas` when given (areas with nothing to count are left out)."""
    start, end = day_bounds(on)
    span = Span(on, start, end, None if areas is None else frozenset(areas))
    rows: dict[int, dict[str, Any]] = defaultdict(dict)
    for figure_set in figure_sets():
        for area_id, key, n in figure_set.count(span):
            if not n:
                continue
            if isinstance(n, dict):
                merged = rows[area_id].setdefault(key, {})
                for code, m in n.items():
                    merged[code] = merged.get(code, 0) + m
            else:
                rows[area_id][key] = rows[area_id].get(key, 0) + n
    for values in rows.values():
        for key in BREAKDOWNS:
            if key in values:
                values[key] = dict(sorted(values[key].items()))
    return rows
