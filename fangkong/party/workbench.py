"""The party treasurer's 工作台: batches sent to my organisations waiting to be received,
received batches whose amount differs from what was sent (to resolve), money my
organisations hold that is not passed up yet, and transfer lists waiting for my
confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.party.models import ZERO
from fangkong.party.module import PartyCapability
from fangkong.party.money import yuan
from fangkong.party.selectors import (
    holding,
    imports_waiting,
    received_with_difference,
    to_receive,
)


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(PartyCapability.RECORD):
        return []
    url = reverse("party:remittances")
    held = holding(user)
    waiting = imports_waiting(user)
    first_waiting = waiting.first()
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
        WorkItem(
            _("结存待上缴"),
            len(held),
            reverse("party:org", args=[held[0][0].pk]) + "#remit"
            if len(held) == 1
            else reverse("party:home"),
            order=72,
            detail=_("本级结存 %(amount)s 元还没有上缴：清点后填上缴单")
            % {"amount": yuan(sum((p.held for _org, p in held), ZERO))},
        ),
        WorkItem(
            _("待确认的转账名单"),
            waiting.count(),
            reverse("party:import-detail", args=[first_waiting.pk]) if first_waiting else url,
            order=73,
            detail=_("已上传、核对过的转账名单：确认后才登记为捐款"),
        ),
    ]
