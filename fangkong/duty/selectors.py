"""Scoped reads of duty: posts, the coverage of shift instances (needed, rostered, signed
in, gap), a post's week, the shift under way, and hours per person and lending unit.

Coverage is computed, never stored: a rostered person who is under observation on the
shift's day does not count, so the gap appears the moment their observation starts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.arrivals.models import Observation, ObservationStatus
from fangkong.core.dates import day_bounds
from fangkong.core.queries import one_of
from fangkong.core.scoping import subtree_q
from fangkong.duty.models import Assignment, Attendance, DutyPerson, Post, Shift, ShiftDay
from fangkong.duty.services import MISSING_AFTER, instance_at


def posts_visible(user: Any, area: Area | None = None) -> QuerySet[Post]:
    qs = Post.objects.visible_to(user).filter(active=True).select_related("area", "gate")
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area.path))
    return qs


def _observed_that_day() -> Exists:
    """The rostered person is under observation on the line's day (arrivals' rule)."""
    day = OuterRef("day")
    return Exists(
        Observation.objects.filter(
            person_id=OuterRef("person__person_id"), arrived_on__lte=day, last_day__gte=day
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .exclude(status=ObservationStatus.CANCELLED)
    )


_COUNTED = [s for s in ObservationStatus.values if s != ObservationStatus.CANCELLED]


def _observing(day: dt.date, span: tuple[dt.date, dt.date, dt.date | None]) -> bool:
    """`day` within an observation: from day 1 through its last day, and before the day it
    ended if it ended early (arrivals.figures.observing_on)."""
    begins, ends, ended = span
    return begins <= day <= ends and (ended is None or ended > day)


def shifts_of(posts: QuerySet[Post]) -> QuerySet[Shift]:
    """The active shifts of `posts` (a shift retired from a pattern is neither planned nor
    counted)."""
    return Shift.objects.filter(post__in=posts, active=True)


Counts = dict[int, list[int]]


def coverage_counts(shifts: Sequence[int], first: dt.date, last: dt.date) -> tuple[Counts, Counts]:
    """(rostered, signed in) of the shifts with ids `shifts` from `first` to `last`: per
    shift id, a list with one number per day. The ids are given, not a query: the caller
    has read the shifts already, and the read then probes the (shift, day) index directly
    instead of joining posts and areas again.

    One query over the instances' numbers (`ShiftDay`, kept by the services), read through
    the cursor (Django's per-row converters cost more than the query for a district's
    42,000 instances; SQLite gives the day as text, hence both keys); then the observations
    under way in the span of people on duty (few), whose lines are taken off: an EXISTS per
    line would cost a probe for each of 84,000 lines."""
    if not shifts:
        return {}, {}
    dates = days_between(first, last)
    index: dict[Any, int] = {d: i for i, d in enumerate(dates)}
    index.update({d.isoformat(): i for i, d in enumerate(dates)})
    rostered: Counts = {}
    signed: Counts = {}
    numbers = ShiftDay.objects.filter(
        one_of(ShiftDay, "shift", shifts), day__gte=first, day__lte=last
    ).values_list("shift_id", "day", "rostered", "signed_in")
    sql, params = numbers.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for shift, day, n, m in cursor.fetchall():
            i = index[day]
            days = rostered.get(shift)
            if days is None:
                days = rostered[shift] = [0] * len(dates)
                signed[shift] = [0] * len(dates)
            days[i] = n
            signed[shift][i] = m
    # The few people on duty under observation in the span, then their lines in it.
    watched: dict[int, list[tuple[dt.date, dt.date, dt.date | None]]] = defaultdict(list)
    spans = Observation.objects.filter(
        arrived_on__lte=last, last_day__gte=first, status__in=_COUNTED
    ).filter(Exists(DutyPerson.objects.filter(person_id=OuterRef("person_id"))))
    for person, begins, ends, ended in spans.values_list(
        "person_id", "arrived_on", "last_day", "ended_on"
    ):
        watched[person].append((begins, ends, ended))
    if watched:
        lines = Assignment.objects.filter(
            one_of(Assignment, "shift", shifts), day__gte=first, day__lte=last
        )
        for shift, day, person in lines.filter(person__person_id__in=list(watched)).values_list(
            "shift_id", "day", "person__person_id"
        ):
            if any(_observing(day, span) for span in watched[person]):
                rostered[shift][(day - first).days] -= 1
    return rostered, signed


def day_starts(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.datetime]]:
    tz = ZoneInfo(settings.TIME_ZONE)
    return [
        (day, dt.datetime.combine(day, dt.time(0), tzinfo=tz)) for day in days_between(first, last)
    ]


def coverage_rows(posts: QuerySet[Post], first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """The coverage contract's body, lean for a district (42,000 shift instances): plain
    values, no model instances; per post its shifts (name, start, hours, needed), and per
    shift its days (rostered, signed in, gap)."""
    shifts = list(
        shifts_of(posts)
        .order_by("post__area__path", "post__name", "starts")
        .values_list(
            "pk", "post_id", "post__name", "post__area__code", "name", "starts", "hours", "needed"
        )
    )
    rostered, signed = coverage_counts([s[0] for s in shifts], first, last)
    days = [d.isoformat() for d in days_between(first, last)]
    none = [0] * len(days)
    # Most shifts of a district have the same numbers (fully staffed, nobody signed in
    # yet): their day lists are built once and shared, as the body is only serialised.
    built: dict[tuple[int, ...], list[dict[str, Any]]] = {}
    out: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for pk, post_id, post_name, code, name, starts, hours, needed in shifts:
        if current is None or current["id"] != post_id:
            current = {"id": post_id, "name": post_name, "area": code, "shifts": []}
            out.append(current)
        on_roster, signed_in = rostered.get(pk, none), signed.get(pk, none)
        key = (needed, *on_roster, *signed_in)
        instances = built.get(key)
        if instances is None:
            instances = built[key] = [
                {"day": iso, "rostered": n, "signed_in": m, "gap": needed - n if n < needed else 0}
                for iso, n, m in zip(days, on_roster, signed_in, strict=True)
            ]
        current["shifts"].append(
            {
                "shift": pk,
                "name": name,
                "starts": starts.isoformat("minutes"),
                "hours": hours,
                "needed": needed,
                "days": instances,
            }
        )
    return out


@dataclass(slots=True)
class Cell:
    """One shift instance: (post, shift, day) and its numbers."""

    post: Post
    shift: Shift
    day: dt.date
    needed: int
    rostered: int = 0
    signed_in: int = 0
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    people: list[Assignment] = field(default_factory=list)

    @property
    def gap(self) -> int:
        return max(self.needed - self.rostered, 0)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def coverage(posts: QuerySet[Post], first: dt.date, last: dt.date) -> list[Cell]:
    """Every shift instance of `posts` from `first` to `last`, for pages and figures."""
    shifts = list(
        shifts_of(posts)
        .select_related("post__area")
        .order_by("post__area__path", "post__name", "starts")
    )
    rostered, signed = coverage_counts([s.pk for s in shifts], first, last)
    none = [0] * ((last - first).days + 1)
    by_post: dict[int, list[tuple[Shift, dt.timedelta, dt.timedelta]]] = {}
    for shift in shifts:  # Asia/Shanghai keeps no summer time: a shift starts its hours
        since = dt.timedelta(hours=shift.starts.hour, minutes=shift.starts.minute)  # after 0:00
        by_post.setdefault(shift.post_id, []).append(
            (shift, since, dt.timedelta(hours=shift.hours))
        )
    days = list(enumerate(day_starts(first, last)))
    cells = []
    # Post by post (in the shifts' order: area, name), day by day, shift by shift: the
    # instances come out sorted by post and start.
    for post_shifts in by_post.values():
        for i, (day, midnight) in days:
            for shift, since, length in post_shifts:
                start = midnight + since
                cells.append(
                    Cell(
                        post=shift.post,
                        shift=shift,
                        day=day,
                        needed=shift.needed,
                        rostered=rostered.get(shift.pk, none)[i],
                        signed_in=signed.get(shift.pk, none)[i],
                        start=start,
                        end=start + length,
                    )
                )
    return cells


def gaps_ahead(user: Any, *, now: dt.datetime | None = None, days: int = 7) -> list[Cell]:
    """Shift instances not yet ended, in the next `days` days, below their need."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    cells = coverage(
        posts_visible(user), today - dt.timedelta(days=1), today + dt.timedelta(days=days - 1)
    )
    horizon = now + dt.timedelta(days=days)
    return [c for c in cells if c.gap and c.end and c.end > now and c.start and c.start < horizon]


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def post_week(post: Post, monday: dt.date) -> dict[str, Any]:
    """A post's week: its shifts as rows, the seven days as columns, each cell with its
    roster lines (observed people marked) and numbers."""
    last = monday + dt.timedelta(days=6)
    cells = coverage(Post.objects.filter(pk=post.pk), monday, last)
    lines = (
        Assignment.objects.filter(shift__post=post, day__gte=monday, day__lte=last)
        .annotate(observed=_observed_that_day())
        .select_related("person__person", "person__unit", "shift")
        .order_by("starts_at", "person__person__name")
    )
    by_key: dict[tuple[int, dt.date], list[Assignment]] = defaultdict(list)
    for line in lines:
        by_key[(line.shift_id, line.day)].append(line)
    for cell in cells:
        cell.people = by_key.get((cell.shift.pk, cell.day), [])
    rows = [
        {"shift": shift, "cells": [c for c in cells if c.shift.pk == shift.pk]}
        for shift in post.shifts.filter(active=True)
    ]
    return {"days": days_between(monday, last), "rows": rows}


def current_shift(post: Post, now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The shift under way at `post`: its roster (signed in or not, late, missing) and the
    unplanned sign-ins."""
    now = now or timezone.now()
    found = instance_at(post, now)
    if found is None:
        return None
    shift, day = found
    start, end = shift.bounds(day)
    signed = {
        a.person_id: a
        for a in Attendance.objects.filter(shift=shift, day=day).select_related("person__person")
    }
    roster = []
    for line in Assignment.objects.filter(shift=shift, day=day).select_related(
        "person__person", "person__unit"
    ):
        attendance = signed.pop(line.person_id, None)
        roster.append(
            {
                "line": line,
                "attendance": attendance,
                "missing": attendance is None and now > start + MISSING_AFTER,
            }
        )
    return {
        "shift": shift,
        "day": day,
        "start": start,
        "end": end,
        "roster": roster,
        "unplanned": list(signed.values()),
    }


def duty_people(user: Any) -> QuerySet[DutyPerson]:
    return (
        DutyPerson.objects.visible_to(user)
        .filter(active=True)
        .select_related("person", "unit", "area")
    )


def day_attendance(user: Any, on: dt.date, now: dt.datetime | None = None) -> dict[str, int]:
    """Sign-ins, late, unplanned and missing of `on` at the posts `user` sees."""
    now = now or timezone.now()
    posts = posts_visible(user)
    signed = Attendance.objects.filter(post__in=posts, day=on).aggregate(
        n=Count("pk"),
        late=Count("pk", filter=Q(late=True)),
        unplanned=Count("pk", filter=Q(assignment__isnull=True)),
    )
    missing = (
        Assignment.objects.filter(shift__post__in=posts, day=on, starts_at__lt=now - MISSING_AFTER)
        .filter(attendance__isnull=True)
        .count()
    )
    return {**signed, "missing": missing}


@dataclass
class HoursRow:
    name: str
    role: str
    unit: str
    shifts: int
    hours: float


def month_hours(
    user: Any, area: Area | None, month: dt.date
) -> tuple[list[HoursRow], list[HoursRow]]:
    """Hours on duty in `month` (signed out attendances), per person and per lending unit."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1)
    start, _ = day_bounds(first)
    end, _ = day_bounds(last)
    qs = Attendance.objects.filter(
        post__in=posts_visible(user, area), signed_in_at__gte=start, signed_in_at__lt=end
    ).select_related("person__person", "person__unit")
    people: dict[int, HoursRow] = {}
    units: dict[str, HoursRow] = {}
    for a in qs:
        person = a.person
        row = people.setdefault(
            person.pk,
            HoursRow(
                person.person.name,
                person.get_role_display(),
                person.unit.name if person.unit else "",
                0,
                0.0,
            ),
        )
        row.shifts += 1
        row.hours = round(row.hours + a.hours, 2)
        if person.unit:
            unit = units.setdefault(person.unit.name, HoursRow(person.unit.name, "", "", 0, 0.0))
            unit.shifts += 1
            unit.hours = round(unit.hours + a.hours, 2)
    return (
        sorted(people.values(), key=lambda r: (r.unit, r.name)),
        sorted(units.values(), key=lambda r: r.name),
    )
