"""Quality on the 工作台: batches waiting for their sampling inspection, accepted batches
waiting to be counted, sealed and boxed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.quality.models import BatchStatus
from fangkong.quality.module import QualityCapability
from fangkong.quality.selectors import batches_to_inspect, batches_to_pack


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(QualityCapability.RECORD):
        return []
    url = reverse("quality:batches")
    return [
        WorkItem(
            _("待抽检的产品批次"),
            batches_to_inspect(user).count(),
            f"{url}?status={BatchStatus.REGISTERED}",
            order=70,
            detail=_("按 GB/T 2828.1 抽样方案抽检，判定接收或拒收"),
        ),
        WorkItem(
            _("待清点装箱的合格批次"),
            batches_to_pack(user).count(),
            f"{url}?status={BatchStatus.ACCEPTED}",
            order=71,
        ),
    ]
