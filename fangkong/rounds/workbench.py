"""Rounds' items on the 工作台 (fangkong.core.modules.WorkItem): overdue rounds (urgent) and
the rest of today's rounds, each linked to the rounds page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.rounds.module import RoundsCapability
from fangkong.rounds.selectors import rounds_due


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(RoundsCapability.RECORD) or user.area_id is None:
        return []
    due = rounds_due(user=user)
    overdue = sum(1 for d in due if d.overdue)
    url = reverse("rounds:list")
    return [
        WorkItem(
            _("巡查消杀逾期"),
            overdue,
            f"{url}?tab=overdue",
            order=40,
            urgent=True,
            detail=_("超过计划间隔还没做的巡逻检查、消杀作业：做完点“完成”"),
        ),
        WorkItem(
            _("今日待做巡查消杀"),
            len(due) - overdue,
            url,
            order=41,
            detail=_("今天还要做的巡逻检查和消杀作业"),
        ),
    ]
