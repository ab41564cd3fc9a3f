"""Scoped reads of rounds, and the due list: a plan's next round is due one interval after
its last record (from the first moment of its first day when it has none); it is overdue
once that moment has passed. Computed on every read, so a record takes it off at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.core.dates import day_bounds
from fangkong.core.scoping import subtree_q
from fangkong.rounds.models import Place, Plan, Record


@dataclass(frozen=True)
class Due:
    plan: Plan
    last_done_at: dt.datetime | None
    due_at: dt.datetime
    late: dt.timedelta  # zero when not yet due

    @property
    def overdue(self) -> bool:
        return self.late > dt.timedelta(0)

    @property
    def late_minutes(self) -> int:
        return int(self.late.total_seconds() // 60)

    @property
    def late_parts(self) -> tuple[int, int]:
        """(hours, minutes) late, for the page."""
        return divmod(self.late_minutes, 60)


def _in_area(qs: QuerySet[Any], lookup: str, area: Area | None) -> QuerySet[Any]:
    return qs if area is None else qs.filter(subtree_q(lookup, area.path))


def places_list(*, user: Any, area: Area | None = None) -> QuerySet[Place]:
    qs = Place.objects.visible_to(user).select_related("area", "unit")
    return _in_area(qs, "area__path", area)


def plans_list(
    *, user: Any, area: Area | None = None, place: Place | None = None
) -> QuerySet[Plan]:
    qs = Plan.objects.visible_to(user).select_related("place", "place__area")
    if place is not None:
        qs = qs.filter(place=place)
    return _in_area(qs, "place__area__path", area)


def records_list(
    *, user: Any, area: Area | None = None, place: Place | None = None, on: dt.date | None = None
) -> QuerySet[Record]:
    qs = Record.objects.visible_to(user).select_related(
        "plan", "plan__place", "done_by", "person", "recorded_by"
    )
    if place is not None:
        qs = qs.filter(plan__place=place)
    if on is not None:
        start, end = day_bounds(on)
        qs = qs.filter(done_at__gte=start, done_at__lt=end)
    return _in_area(qs, "plan__place__area__path", area)


def active_plans(plans: QuerySet[Plan], on: dt.date) -> QuerySet[Plan]:
    return plans.filter(
        Q(active_until__isnull=True) | Q(active_until__gte=on),
        active_from__lte=on,
        place__active=True,
    )


def with_last_done(plans: QuerySet[Plan], at: dt.datetime) -> QuerySet[Plan]:
    """Each plan annotated with `last_done_at`: its latest record up to `at`."""
    last = (
        Record.objects.filter(plan=OuterRef("pk"), done_at__lte=at)
        .order_by()
        .values("plan")
        .annotate(at=Max("done_at"))
        .values("at")
    )
    return plans.annotate(last_done_at=Subquery(last))


def due_of(plan: Plan, last_done_at: dt.datetime | None, now: dt.datetime) -> Due:
    if last_done_at is None:
        due_at = day_bounds(plan.active_from)[0]
    else:
        due_at = last_done_at + plan.interval
    return Due(plan, last_done_at, due_at, max(now - due_at, dt.timedelta(0)))


def rounds_due(
    *,
    user: Any,
    area: Area | None = None,
    place: Place | None = None,
    now: dt.datetime | None = None,
    overdue_only: bool = False,
) -> list[Due]:
    """Today's rounds still to do in the user's jurisdiction (under `area`): every active
    plan whose next round falls before the end of today, the most overdue first."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    end = day_bounds(today)[1]
    plans = with_last_done(active_plans(plans_list(user=user, area=area, place=place), today), now)
    out = [due_of(plan, plan.last_done_at, now) for plan in plans]  # type: ignore[attr-defined]
    out = [d for d in out if (d.overdue if overdue_only else d.due_at < end)]
    return sorted(out, key=lambda d: (d.due_at, d.plan.place.building, d.plan.place.name))


def overdue_count(*, user: Any, now: dt.datetime | None = None) -> int:
    return len(rounds_due(user=user, now=now, overdue_only=True))
