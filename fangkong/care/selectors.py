"""Scoped reads of care: today's care-call list (one line per household: the people under
observation at one address, or a person with none on their own), the requests a user may
see, the overdue ones, a resident's own requests (by their observation) and the median
time to done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from fangkong.arrivals.models import Observation, ObservationStatus
from fangkong.care.models import OPEN, CallOutcome, CareCall, CareRequest, RequestStatus
from fangkong.core.figures import histogram, histogram_median


def call_list(*, user: Any, on: dt.date, todo: bool = False) -> QuerySet[Observation]:
    """Every person under observation the user may see, with the day's latest call to
    them (`call_outcome`, `call_at`), its count and their open requests, in the order of
    the households' addresses. `todo`: only those not reached yet that day (no call, or no
    answer); `households` groups them."""
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
        .order_by("area__path", "address__building", "address__entrance", "address__room", "pk")
    )
    if todo:
        qs = qs.filter(Q(call_outcome__isnull=True) | Q(call_outcome="no_answer"))
    return qs


@dataclass
class Household:
    """One line of the care-call list: the people under observation at one address (one
    household lives at one address, registry.Address), or one person with no address.
    The day's call is the latest to any of them; `called` is whom it reached."""

    key: str  # "a<address id>", or "o<observation id>" for a person with no address
    members: list[Observation] = field(default_factory=list)

    @property
    def first(self) -> Observation:
        return self.members[0]

    @property
    def pk(self) -> int:  # the line's observation: its page and where its calls are posted
        return self.first.pk

    @property
    def area(self) -> Any:
        return self.first.area

    @property
    def address(self) -> Any:
        return self.first.address

    @property
    def called(self) -> Observation | None:
        called = [m for m in self.members if getattr(m, "call_at", None) is not None]
        latest = max(called, key=lambda m: m.call_at) if called else None  # type: ignore[attr-defined]
        return latest

    @property
    def call_outcome(self) -> str | None:
        called = self.called
        return None if called is None else called.call_outcome  # type: ignore[attr-defined]

    @property
    def call_at(self) -> dt.datetime | None:
        called = self.called
        return None if called is None else called.call_at  # type: ignore[attr-defined]

    @property
    def calls_today(self) -> int:
        return sum(getattr(m, "calls_today", 0) for m in self.members)

    @property
    def open_requests(self) -> int:
        return sum(getattr(m, "open_requests", 0) for m in self.members)

    @property
    def last_day(self) -> dt.date:
        return max(m.last_day for m in self.members)

    @property
    def reached(self) -> bool:
        return self.call_outcome not in (None, CallOutcome.NO_ANSWER)


def household_key(observation: Observation) -> str:
    if observation.address_id is not None:
        return f"a{observation.address_id}"
    return f"o{observation.pk}"


def households(*, user: Any, on: dt.date, todo: bool = False) -> list[Household]:
    """Today's care-call list, one line per household (see Household), in the order of
    their addresses. `todo`: only the households not reached yet that day."""
    lines: dict[str, Household] = {}
    for observation in call_list(user=user, on=on):
        key = household_key(observation)
        lines.setdefault(key, Household(key)).members.append(observation)
    out = list(lines.values())
    return [h for h in out if not h.reached] if todo else out


def household_of(*, user: Any, observation: Observation, on: dt.date) -> Household:
    """The household of `observation` as the care-call list shows it."""
    qs = call_list(user=user, on=on)
    if observation.address_id is not None:
        qs = qs.filter(address_id=observation.address_id)
    else:
        qs = qs.filter(pk=observation.pk)
    household = Household(household_key(observation), list(qs))
    if not household.members:  # no longer under observation: the person alone
        household.members = [observation]
    return household


def calls_of(*observations: Observation) -> QuerySet[CareCall]:
    """The calls to these people (a household's), newest first."""
    return CareCall.objects.filter(observation__in=observations).select_related(
        "by", "observation__person"
    )


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


def requests_of_resident(*observations: Observation) -> QuerySet[CareRequest]:
    """A resident's own requests (the phone page), or a household's: newest first."""
    return CareRequest.objects.filter(observation__in=observations).order_by("-raised_at", "-pk")


def overdue_count(user: Any) -> int:
    return CareRequest.objects.visible_to(user).overdue().count()


def counts(*, user: Any, on: dt.date) -> dict[str, int]:
    visible = CareRequest.objects.visible_to(user)
    return {
        "overdue": visible.overdue().count(),
        "new": visible.filter(status=RequestStatus.NEW).count(),
        "mine": visible.filter(assignee=user, status=RequestStatus.TAKEN).count(),
        "to_call": len(households(user=user, on=on, todo=True)),
    }


def minutes_to_done(raised_at: dt.datetime, closed_at: dt.datetime) -> int:
    """Whole minutes from raised to done: the unit the daily report's histogram counts."""
    return round((closed_at - raised_at).total_seconds() / 60)


def median_hours_to_done(qs: QuerySet[CareRequest]) -> float | None:
    """The median hours from raised to done of the done requests in `qs`, by the daily
    report's rule (whole minutes, one decimal), so that the care page and the 日报 agree."""
    minutes = [
        minutes_to_done(raised, closed)
        for raised, closed in qs.filter(status=RequestStatus.DONE).values_list(
            "raised_at", "closed_at"
        )
        if closed is not None
    ]
    return histogram_median(histogram(minutes), scale=1 / 60, digits=1)


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
