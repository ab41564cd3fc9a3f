"""Read queries of alerts and call tasks, scoped to the caller's area."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fangkong.accounts.models import User
from fangkong.arrivals.models import Alert, CallTask, CallTaskStatus
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.core.ids import parse_id
from fangkong.core.scoping import scope_filter


def alerts_list(*, user: Any, state: str = "open") -> QuerySet[Alert]:
    qs = Alert.objects.visible_to(user).select_related(
        "person", "area", "observation", "report", "handled_by"
    )
    if state == "open":
        qs = qs.filter(handled_at=None)
    elif state == "handled":
        qs = qs.exclude(handled_at=None)
    return qs.order_by("-raised_at", "-id")


MINE = "mine"  # a state of the list besides open / done: open and assigned to me


def call_tasks_list(*, user: Any, state: str = "open") -> QuerySet[CallTask]:
    qs = CallTask.objects.visible_to(user).select_related(
        "observation__person", "observation__area", "done_by", "assignee"
    )
    if state == MINE:
        qs = qs.filter(status=CallTaskStatus.OPEN, assignee=user)
    elif state in CallTaskStatus.values:
        qs = qs.filter(status=state)
    if state == CallTaskStatus.DONE:
        return qs.order_by("-done_at", "-id")
    return qs.order_by("-on", "observation__area__path", "id")


def _accounts(user: Any) -> QuerySet[User]:
    condition = scope_filter(User, user)
    qs = User.objects.filter(is_active=True)
    return qs if condition is None else qs.filter(condition)


def call_task_assignees(*, user: Any) -> list[User]:
    """Accounts in the caller's area who may make the calls (workers, cadres, medics)."""
    return [
        account
        for account in _accounts(user).order_by("username")
        if account.can(ArrivalsCapability.HEALTH_RECORD)
    ]


def call_task_assignee(*, user: Any, pk: Any) -> User | None:
    """An account the caller may hand a call to, by id (None: unknown or elsewhere)."""
    account_id = parse_id(pk)
    return None if account_id is None else _accounts(user).filter(pk=account_id).first()
