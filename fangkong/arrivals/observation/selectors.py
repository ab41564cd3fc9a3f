"""Read queries of observations: the lists by state and due date shared by the pages and
the API, and one observation's timeline (its events, reports, alerts and call tasks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fangkong.areas.models import Area
from fangkong.arrivals.health.services import current_slot
from fangkong.arrivals.models import (
    Alert,
    HealthReport,
    Observation,
    ObservationStatus,
    Slot,
)
from fangkong.arrivals.observation.services import EVENT_LABELS
from fangkong.core.scoping import subtree_q

# Tabs of the observation list: key → label. The API's `due` filter uses the same keys.
TABS: dict[str, str] = {
    "active": gettext_noop("观察中"),
    "missing_today": gettext_noop("今日未报"),
    "ending_this_week": gettext_noop("本周到期"),
    "fever": gettext_noop("发热/症状"),
    "released": gettext_noop("已解除"),
    "ended": gettext_noop("转院/撤销"),
}
DUE_FILTERS = ("missing_today", "ending_this_week", "fever")


def _today_reports(today: dt.date) -> Prefetch[Any]:
    return Prefetch(
        "reports", queryset=HealthReport.objects.filter(on=today), to_attr="today_reports"
    )


def open_alert_exists() -> Exists:
    return Exists(Alert.objects.filter(observation=OuterRef("pk"), handled_at=None))


def observations_base(*, user: Any) -> QuerySet[Observation]:
    return (
        Observation.objects.visible_to(user)
        .select_related("person", "area", "address", "unit", "policy")
        .annotate(open_alert=open_alert_exists())
    )


def missing_today_q(*, now: dt.datetime | None = None) -> Q:
    """Active, within its window today, and a due slot of today not reported yet (the
    morning is due from the start of the day except on the arrival day, the evening from
    noon)."""
    today = timezone.localdate(now)

    def unreported(slot: str) -> Exists:
        return Exists(HealthReport.objects.filter(observation=OuterRef("pk"), on=today, slot=slot))

    missing = Q(~unreported(Slot.MORNING)) & ~Q(arrived_on=today)
    if current_slot(now) == Slot.EVENING:
        missing |= Q(~unreported(Slot.EVENING))
    return Q(status=ObservationStatus.ACTIVE, arrived_on__lte=today, last_day__gte=today) & missing


def observations_list(
    *,
    user: Any,
    tab: str = "active",
    status: str = "",
    area: Area | None = None,
    name: str = "",
) -> QuerySet[Observation]:
    today = timezone.localdate()
    qs = observations_base(user=user).prefetch_related(_today_reports(today))
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area.path))
    if name:
        qs = qs.filter(person__name__contains=name)
    if status:
        qs = qs.filter(status=status)
    active = Q(status=ObservationStatus.ACTIVE)
    if tab == "active":
        qs = qs.filter(active).order_by("last_day", "id")
    elif tab == "missing_today":
        qs = qs.filter(missing_today_q()).order_by("last_day", "id")
    elif tab == "ending_this_week":
        qs = qs.filter(active, last_day__lte=today + dt.timedelta(days=6)).order_by(
            "last_day", "id"
        )
    elif tab == "fever":
        qs = qs.filter(active).filter(open_alert_exists()).order_by("last_day", "id")
    elif tab == "released":
        qs = qs.filter(status=ObservationStatus.RELEASED).order_by("-ended_on", "-id")
    elif tab == "ended":
        qs = qs.filter(
            status__in=[ObservationStatus.HOSPITAL, ObservationStatus.CANCELLED]
        ).order_by("-ended_on", "-id")
    return qs


def tab_counts(*, user: Any) -> dict[str, int]:
    """The badge on each tab (over the caller's whole area)."""
    today = timezone.localdate()
    qs = Observation.objects.visible_to(user)
    active = Q(status=ObservationStatus.ACTIVE)
    return {
        "active": qs.filter(active).count(),
        "missing_today": qs.filter(missing_today_q()).count(),
        "ending_this_week": qs.filter(active, last_day__lte=today + dt.timedelta(days=6)).count(),
        "fever": qs.filter(active).filter(open_alert_exists()).count(),
        "released": qs.filter(status=ObservationStatus.RELEASED).count(),
        "ended": qs.filter(
            status__in=[ObservationStatus.HOSPITAL, ObservationStatus.CANCELLED]
        ).count(),
    }


@dataclass
class TimelineItem:
    at: dt.datetime
    kind: str  # event, report, alert, task
    text: str
    who: str
    obj: Any


def _name(user: Any) -> str:
    return str(user.get_username()) if user is not None else ""


def observation_timeline(*, user: Any, observation: Observation) -> dict[str, Any]:
    """Everything about one observation, oldest first, plus the person's other ones that
    the user may see."""
    events = list(observation.events.select_related("actor"))
    reports = list(observation.reports.select_related("recorded_by").order_by("on", "slot"))
    reports.sort(key=lambda r: (r.on, 0 if r.slot == Slot.MORNING else 1))
    alerts = list(observation.alerts.select_related("handled_by", "report"))
    tasks = list(observation.call_tasks.select_related("done_by").order_by("on"))
    items = [
        TimelineItem(e.at, "event", _(EVENT_LABELS.get(e.action, e.action)), e.actor_name, e)
        for e in events
    ]
    items += [
        TimelineItem(
            a.raised_at, "alert", _("%(kind)s预警") % {"kind": a.get_kind_display()}, "", a
        )
        for a in alerts
    ]
    items += [
        TimelineItem(a.handled_at, "handled", _("预警已处置"), _name(a.handled_by), a)
        for a in alerts
        if a.handled_at is not None
    ]
    items += [TimelineItem(t.created_at, "task", _("电话询问任务"), "", t) for t in tasks]
    items += [
        TimelineItem(t.done_at, "called", _("已电话询问"), _name(t.done_by), t)
        for t in tasks
        if t.done_at is not None
    ]
    items.sort(key=lambda i: i.at)
    return {
        "events": events,
        "reports": reports,
        "report_days": report_days(observation=observation, reports=reports),
        "alerts": alerts,
        "tasks": tasks,
        "items": items,
        "others": _others(user, observation),
    }


def report_days(*, observation: Observation, reports: list[HealthReport]) -> list[dict[str, Any]]:
    """One row per observed day so far (newest first): the morning and evening reports,
    or None where a report is missing."""
    by_key = {(r.on, r.slot): r for r in reports}
    last = min(observation.last_day, observation.ended_on or timezone.localdate())
    last = min(last, timezone.localdate())
    rows = []
    day = observation.arrived_on
    while day <= last:
        rows.append(
            {
                "on": day,
                "day": observation.day_number(day),
                "morning": by_key.get((day, Slot.MORNING)),
                "evening": by_key.get((day, Slot.EVENING)),
            }
        )
        day += dt.timedelta(days=1)
    rows.reverse()
    return rows


def _others(user: Any, observation: Observation) -> QuerySet[Observation]:
    return (
        Observation.objects.visible_to(user)
        .filter(person_id=observation.person_id)
        .exclude(pk=observation.pk)
        .order_by("-arrived_on")
    )
