"""Scoped reads of care: today's care-call list, the requests a user may see, the
overdue ones, a resident's own requests (by their observation) and the median time to
done."""

from __future__ import annotations

import datetime as dt
from statistics import median
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from fangkong.arrivals.models import Observation, ObservationStatus
from fangkong.care.models import OPEN, CareCall, CareRequest, RequestStatus


def call_list(*, user: Any, on: dt.date, todo: bool = False) -> QuerySet[Observation]:
    """Every household member under observation the user may see, with the day's latest
    call (`call_outcome`, `call_at`), its count and their open requests. `todo`: only those
    not reached yet that day (no call, or no answer)."""
    today_calls = CareCall.objects.filter(observation=OuterRef("pk"), on=on).order_by("-at")
    qs = (
        Observation.objects.visible_to(user)
        .filter(status=ObservationStatus.ACTIVE)
        .select_related("person", "area", "address")
        .annotate(
            call_outcome=Subquery(today_calls.values("outcome")[:1]),
            call_at=Subquery(today_calls.values("at")[:1]),
            calls_today=Count("care_calls", filter=Q(care_calls__on=on), distinct=True),
            open_requests=Count(
                "care_requests", filter=Q(care_requests__status__in=OPEN), distinct=True
            ),
        )
        .order_by("area__path", "address__building", "address__room", "pk")
    )
    if todo:
        qs = qs.filter(Q(call_outcome__isnull=True) | Q(call_outcome="no_answer"))
    return qs


def calls_of(observation: Observation) -> QuerySet[CareCall]:
    return CareCall.objects.filter(observation=observation).select_related("by")


def requests_visible(
    *, user: Any, status: str = "", overdue: bool = False, mine: bool = False
) -> QuerySet[CareRequest]:
    """The requests the user may see, overdue first, then by deadline."""
    qs = CareRequest.objects.visible_to(user).select_related(
        "area", "observation__person", "observation__address", "assignee"
    )
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.overdue()
    if mine:
        qs = qs.filter(assignee=user, status=RequestStatus.TAKEN)
    return qs.order_by("status", "due_at", "pk")


def requests_of_resident(observation: Observation) -> QuerySet[CareRequest]:
    """A resident's own requests (the phone page): newest first."""
    return CareRequest.objects.filter(observation=observation).order_by("-raised_at", "-pk")


def overdue_count(user: Any) -> int:
    return CareRequest.objects.visible_to(user).overdue().count()


def counts(*, user: Any, on: dt.date) -> dict[str, int]:
    visible = CareRequest.objects.visible_to(user)
    return {
        "overdue": visible.overdue().count(),
        "new": visible.filter(status=RequestStatus.NEW).count(),
        "mine": visible.filter(assignee=user, status=RequestStatus.TAKEN).count(),
        "to_call": call_list(user=user, on=on, todo=True).count(),
    }


def median_hours_to_done(qs: QuerySet[CareRequest]) -> float | None:
    """The median hours from raised to done of the done requests in `qs`."""
    hours = [
        (closed - raised).total_seconds() / 3600
        for raised, closed in qs.filter(status=RequestStatus.DONE).values_list(
            "raised_at", "closed_at"
        )
        if closed is not None
    ]
    return round(median(hours), 1) if hours else None


def colleagues(*, user: Any) -> list[Any]:
    """Accounts in the caller's area who serve care (workers, cadres): whom to hand a
    request to."""
    from fangkong.accounts.models import User
    from fangkong.care.module import CareCapability
    from fangkong.core.scoping import scope_filter

    condition = scope_filter(User, user)
    qs = User.objects.filter(is_active=True, area__isnull=False)
    qs = qs if condition is None else qs.filter(condition)
    return [a for a in qs.order_by("username") if a.can(CareCapability.SERVE)]


def announcements_shown(*, area: Any, on: dt.date) -> list[Any]:
    """What the residents of `area` read on `on`: the notices of the area and of the
    areas above it (a zone's residents read their community's), newest first."""
    from fangkong.care.models import Announcement

    return list(
        Announcement.objects.filter(
            area__code__in=area.ancestor_codes(), withdrawn_at__isnull=True, starts_on__lte=on
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-starts_on", "-pk")[:10]
    )


def announcements_visible(*, user: Any) -> QuerySet[Any]:
    from fangkong.care.models import Announcement

    return Announcement.objects.visible_to(user).select_related("area", "by")


def day_summary(*, user: Any, on: dt.date) -> dict[str, Any]:
    """The day's care in the user's area: calls answered, requests raised, done, overdue
    now, and the median hours from raised to done of the requests done that day."""
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    end = start + dt.timedelta(days=1)
    visible = CareRequest.objects.visible_to(user)
    done = visible.filter(status=RequestStatus.DONE, closed_at__gte=start, closed_at__lt=end)
    return {
        "date": on,
        "calls": CareCall.objects.visible_to(user)
        .filter(on=on)
        .exclude(outcome="no_answer")
        .count(),
        "raised": visible.filter(raised_at__gte=start, raised_at__lt=end).count(),
        "done": done.count(),
        "overdue": visible.overdue().count(),
        "median_hours_to_done": median_hours_to_done(done),
    }
