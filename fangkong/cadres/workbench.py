"""Cadres on the 工作台: a cadre unwell today (the community is told: urgent), my own
sign-in not done yet, and for officers the uninsured and expiring."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.cadres import selectors
from fangkong.cadres.models import SignIn
from fangkong.cadres.module import CadresCapability
from fangkong.core.modules import WorkItem


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(CadresCapability.VIEW):
        return []
    url = reverse("cadres:list")
    out = [
        WorkItem(
            _("下沉干部今日体温异常或有症状，不能上岗"),
            selectors.unwell_today(user=user, on=today).count(),
            url + "?list=unwell",
            order=5,
            urgent=True,
            detail=_("请安排休息、就医观察，当天工作另行安排"),
        )
    ]
    me = selectors.cadre_for_account(user)
    if me is not None:
        signed = SignIn.objects.filter(cadre=me, on=today).exists()
        out.append(WorkItem(_("今天还没签到"), 0 if signed else 1, url + "#me", order=2))
    if user.can(CadresCapability.MANAGE):
        out += [
            WorkItem(
                _("下沉干部未参保"),
                selectors.uninsured(user=user, on=today).count(),
                url + "?list=uninsured",
                order=70,
            ),
            WorkItem(
                _("下沉干部保险一周内到期"),
                selectors.expiring(user=user, on=today).count(),
                url + "?list=expiring",
                order=71,
            ),
        ]
    return out
