"""Reading the figures: an area's day (summed over its subtree, with its children), and a
range of days for trends. Every read goes through an area the caller may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.dates import parse_day
from fangkong.core.errors import invalid
from fangkong.core.scoping import subtree_q
from fangkong.reports.figures import (
    BREAKDOWNS,
    HISTOGRAMS,
    STORED_KEYS,
    add_breakdowns,
    with_derived,
)
from fangkong.reports.models import DailyFigures, DayBuild
from fangkong.reports.services import build_day, ensure_day

MAX_RANGE_DAYS = 366
TREND_DAYS = 30


def resolve_area(*, user: Any, code: str | None) -> Area:
    """The area asked for (by code, within the caller's scope), or the caller's own; an
    account over the whole tree starts from its first top-level area."""
    if code:
        return area_visible_by_code(user=user, code=code.strip())
    if user.area_id is not None:
        return Area.objects.select_related("parent").get(pk=user.area_id)
    top = Area.objects.filter(parent__isnull=True).current().order_by("code").first()
    if top is None:
        raise invalid("area", _("还没有任何区域，请先导入区划"), "no_area")
    return top


def parse_date(
    value: str | None, *, field: str = "date", default: dt.date | None = None
) -> dt.date:
    """A day of figures: not after today; empty means `default` (today)."""
    return parse_day(value, field=field, default=default, allow_future=False)


def _subtree(area: Area) -> Any:
    return DailyFigures.objects.filter(subtree_q("area__path", area.path, using=connection.alias))


def _subtree_rows(area: Area, on: dt.date) -> list[dict[str, Any]]:
    return list(_subtree(area).filter(on=on).values("area__path", *BREAKDOWNS, *STORED_KEYS))


def _histograms(qs: Any) -> dict[dt.date, dict[str, dict[str, int]]]:
    """The histogram breakdowns of `qs`'s rows summed per day (only the rows that have
    one: the figures' medians are taken from these sums)."""
    out: dict[dt.date, dict[str, dict[str, int]]] = {}
    if not HISTOGRAMS:
        return out
    empty = Q()
    for key in HISTOGRAMS:
        empty &= Q(**{key: {}})
    for row in qs.exclude(empty).values("on", *HISTOGRAMS):
        day = out.setdefault(row["on"], {})
        for key in HISTOGRAMS:
            into = day.setdefault(key, {})
            for code, n in (row[key] or {}).items():
                into[code] = into.get(code, 0) + n
    return out


def _add(total: dict[str, int], row: dict[str, Any]) -> None:
    for key in STORED_KEYS:
        total[key] = total.get(key, 0) + row[key]


@dataclass
class AreaFigures:
    area: Area
    values: dict[str, Any]
    denials_by_reason: dict[str, int] = field(default_factory=dict)
    own: bool = False  # records kept on the area itself rather than under a child


@dataclass
class Day:
    area: Area
    on: dt.date
    build: DayBuild
    figures: dict[str, Any]
    denials_by_reason: dict[str, int]
    children: list[AreaFigures]
    previous: dict[str, Any] | None = None  # the day before, for "change since yesterday"

    def change(self) -> dict[str, Any]:
        """Each figure less the day before's; None where either is empty (a median)."""
        out: dict[str, Any] = {}
        for key, n in self.figures.items():
            before = None if self.previous is None else self.previous.get(key, 0)
            if n is None or before is None:
                out[key] = None
            else:
                out[key] = round(n - before, 1) if isinstance(n, float) else n - before
        return out


def _children(area: Area) -> list[Area]:
    return list(area.children.order_by("code"))


def day_figures(*, area: Area, on: dt.date, compare: bool = True) -> Day:
    """The area's figures on `on` (its whole subtree), one row per child area, and the day
    before for comparison. Builds the day first if it was never built or is stale."""
    build = ensure_day(on)
    rows = _subtree_rows(area, on)
    children = _children(area)
    by_child: dict[str, AreaFigures] = {c.path: AreaFigures(area=c, values={}) for c in children}
    parts: dict[str, dict[str, dict[str, int]]] = {path: {} for path in by_child}
    own = AreaFigures(area=area, values={}, own=True)
    own_parts: dict[str, dict[str, int]] = {}
    total: dict[str, int] = {}
    total_parts: dict[str, dict[str, int]] = {}
    for row in rows:
        _add(total, row)
        add_breakdowns(total_parts, row)
        path = row["area__path"]
        bucket, bucket_parts = own, own_parts
        if path != area.path:
            prefix = path[: path.index("/", len(area.path)) + 1]
            if prefix in by_child:
                bucket, bucket_parts = by_child[prefix], parts[prefix]
        _add(bucket.values, row)
        add_breakdowns(bucket_parts, row)
    listed = [
        AreaFigures(
            area=child.area,
            values=with_derived(child.values, parts[path]),
            denials_by_reason=dict(parts[path].get("denials_by_reason", {})),
        )
        for path, child in by_child.items()
        if child.area.is_current or any(child.values.values())
    ]
    if any(own.values.values()) and children:
        listed.append(
            AreaFigures(
                area=area,
                values=with_derived(own.values, own_parts),
                denials_by_reason=dict(own_parts.get("denials_by_reason", {})),
                own=True,
            )
        )
    reasons = Counter(total_parts.get("denials_by_reason", {}))
    previous = None
    if compare:
        yesterday = on - dt.timedelta(days=1)
        previous = day_totals(area=area, on=yesterday)
    return Day(
        area=area,
        on=on,
        build=build,
        figures=with_derived(total, total_parts),
        denials_by_reason=dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        children=listed,
        previous=previous,
    )


def day_totals(*, area: Area, on: dt.date) -> dict[str, Any]:
    ensure_day(on)
    rows = _subtree(area).filter(on=on)
    sums = rows.aggregate(**{key: Sum(key) for key in STORED_KEYS})
    return with_derived({k: v or 0 for k, v in sums.items()}, _histograms(rows).get(on))


def ensure_range(start: dt.date, end: dt.date) -> None:
    """Build every day of [start, end] that was never built, is not final, or is stale."""
    builds = {b.on: b for b in DayBuild.objects.filter(on__gte=start, on__lte=end)}
    day = start
    while day <= end:
        build = builds.get(day)
        if build is None or not build.final:
            if build is None or day < timezone.localdate():
                build_day(day)
            else:
                ensure_day(day)
        day += dt.timedelta(days=1)


def trend(*, area: Area, start: dt.date, end: dt.date) -> list[tuple[dt.date, dict[str, Any]]]:
    """One entry per day of [start, end], each the area's figures summed over its subtree:
    one grouped query over the rollup rows."""
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise invalid(
            "from",
            _("一次最多查看 %(max_range_days)s 天") % {"max_range_days": MAX_RANGE_DAYS},
            "range_too_long",
        )
    if start > end:
        raise invalid("from", _("开始日期不能晚于结束日期"), "range_reversed")
    ensure_range(start, end)
    in_range = _subtree(area).filter(on__gte=start, on__lte=end)
    histograms = _histograms(in_range)
    rows = in_range.values("on").annotate(**{key: Sum(key) for key in STORED_KEYS}).order_by("on")
    by_day = {row["on"]: row for row in rows}
    out = []
    day = start
    while day <= end:
        row = by_day.get(day, {})
        values = {k: row.get(k) or 0 for k in STORED_KEYS}
        out.append((day, with_derived(values, histograms.get(day))))
        day += dt.timedelta(days=1)
    return out


def breadcrumbs(*, user: Any, area: Area) -> list[Area]:
    """From the caller's own area (or the top) down to `area`."""
    codes = area.ancestor_codes()
    chain = {a.code: a for a in Area.objects.filter(code__in=codes)}
    trail = [chain[c] for c in codes if c in chain]
    if user.area_id is not None:
        own = next((i for i, a in enumerate(trail) if a.pk == user.area_id), 0)
        trail = trail[own:]
    return trail
