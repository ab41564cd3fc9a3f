"""Read queries of alerts and call tasks, scoped to the caller's area."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fangkong.arrivals.models import Alert, CallTask, CallTaskStatus


def alerts_list(*, user: Any, state: str = "open") -> QuerySet[Alert]:
    qs = Alert.objects.visible_to(user).select_related(
        "person", "area", "observation", "report", "handled_by"
    )
    if state == "open":
        qs = qs.filter(handled_at=None)
    elif state == "handled":
        qs = qs.exclude(handled_at=None)
    return qs.order_by("-raised_at", "-id")


def call_tasks_list(*, user: Any, state: str = "open") -> QuerySet[CallTask]:
    qs = CallTask.objects.visible_to(user).select_related(
        "observation__person", "observation__area", "done_by"
    )
    if state in CallTaskStatus.values:
        qs = qs.filter(status=state)
    if state == CallTaskStatus.DONE:
        return qs.order_by("-done_at", "-id")
    return qs.order_by("-on", "observation__area__path", "id")
