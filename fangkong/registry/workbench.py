"""The registry's items on the 工作台: handovers waiting for this community's answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.registry.module import RegistryCapability
from fangkong.registry.transfers.selectors import INCOMING, transfers_list


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(RegistryCapability.CHANGE):
        return []
    return [
        WorkItem(
            _("待答复的人员转交"),
            transfers_list(user=user, state=INCOMING).count(),
            reverse("registry:transfers") + f"?state={INCOMING}",
            order=45,
            detail=_("其他社区申请转入在本社区登记的人：同意，或说明原因"),
        )
    ]
