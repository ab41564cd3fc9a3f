"""Duty's items on the 工作台: coverage gaps of the next 7 days, for whoever plans the
posts (the community worker of the post's area), each linking to the roster at the gap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.duty.module import DutyCapability
from fangkong.duty.selectors import gaps_ahead


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(DutyCapability.PLAN):
        return []
    gaps = gaps_ahead(user)
    if not gaps:
        return []
    first = min(gaps, key=lambda c: c.start or c.day)
    key = f"{first.shift.pk}-{first.day:%Y-%m-%d}"
    url = (
        reverse("duty:post-week", args=[first.post.pk])
        + f"?week={first.day:%Y-%m-%d}&gap={key}#gap-{key}"
    )
    return [
        WorkItem(
            _("值守缺口（未来 7 天）"),
            len(gaps),
            url,
            order=40,
            detail=_("最近一个：%(post)s %(day)s %(shift)s")
            % {"post": first.post.name, "day": f"{first.day:%m-%d}", "shift": first.shift.label},
            menu="duty:posts",
        )
    ]
