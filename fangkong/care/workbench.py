"""Care on the 工作台: overdue requests first (urgent, red), new requests waiting to be
taken, the ones I took, and today's care calls still to make."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.care.module import CareCapability
from fangkong.care.selectors import counts
from fangkong.core.modules import WorkItem


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(CareCapability.VIEW):
        return []
    n = counts(user=user, on=today)
    serve = user.can(CareCapability.SERVE)
    requests = reverse("care:requests")
    out = [
        WorkItem(
            _("隔离家庭求助已超时"),
            n["overdue"],
            requests + "?state=overdue",
            order=1,
            urgent=True,
            detail=_("过了办结时限还没完成：马上办，或交给同事、志愿者"),
            menu="care:calls",
        ),
        WorkItem(
            _("隔离家庭新求助待接单"),
            n["new"],
            requests + "?state=new",
            order=12,
            urgent=serve,
            detail=_("送货、外卖、买药等：接单后尽快送到"),
        ),
    ]
    if serve:
        out += [
            WorkItem(_("我接的求助"), n["mine"], requests + "?state=mine", order=13),
            WorkItem(
                _("今天的关怀电话还没打"),
                n["to_call"],
                reverse("care:calls") + "?todo=1",
                order=30,
                detail=_("每户居家观察家庭每天一次：问身体情况和需要什么"),
            ),
        ]
    return out
