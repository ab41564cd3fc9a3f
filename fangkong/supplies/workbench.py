"""Supplies on the 工作台: items below their minimum, one tap from the stock page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.supplies.module import SuppliesCapability
from fangkong.supplies.selectors import low_count


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(SuppliesCapability.VIEW):
        return []
    return [
        WorkItem(
            _("防护物资低于最低库存"),
            low_count(user),
            reverse("supplies:stock") + "?low=1",
            order=60,
            detail=_("口罩、手套、消毒液等低于最低库存的物资：补货或调拨"),
        )
    ]
