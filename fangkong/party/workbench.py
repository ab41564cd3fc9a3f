"""The party treasurer's 工作台: batches sent to my organisations waiting to be received,
and received batches whose amount differs from what was sent (to resolve)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.party.module import PartyCapability
from fangkong.party.selectors import received_with_difference, to_receive


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(PartyCapability.RECORD):
        return []
    url = reverse("party:remittances")
    return [
        WorkItem(
            _("待接收的上缴批次"),
            to_receive(user).count(),
            url + "?pending=1",
            order=70,
            detail=_("下级党组织已上缴、还没有登记收到的批次：清点后登记接收"),
            menu="party:home",
        ),
        WorkItem(
            _("上缴金额有差异"),
            received_with_difference(user).count(),
            url + "?differs=1",
            order=71,
            urgent=True,
            detail=_("实收金额与上缴金额不一致的批次：与下级核对"),
        ),
    ]
