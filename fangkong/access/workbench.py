"""Passes' and gates' items on the 工作台 (fangkong.core.modules.WorkItem)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.access.models import GateReferral, ReferralStatus
from fangkong.access.module import AccessCapability
from fangkong.core.modules import WorkItem


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(AccessCapability.PASSES_VIEW):
        return []
    referrals = GateReferral.objects.visible_to(user).filter(status=ReferralStatus.OPEN)
    return [
        WorkItem(
            _("门岗转交待处理"),
            referrals.count(),
            reverse("access:referrals"),
            order=15,
            urgent=user.can(AccessCapability.PASSES_ISSUE),
            detail=_("门岗拦下的无证返京人员、身份不明的发热者：登记或处置"),
        )
    ]
