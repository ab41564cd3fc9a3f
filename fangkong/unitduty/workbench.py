"""Units' duty on the 工作台: today's reports to file (the unit contact), findings open
and overdue (the street, the community), sick absences with a fever (the medical staff;
those with a registered person reach them as arrivals' alerts too)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.core.modules import WorkItem
from fangkong.unitduty.models import FindingStatus
from fangkong.unitduty.module import UnitDutyCapability
from fangkong.unitduty.selectors import (
    OVERDUE,
    findings_visible,
    letters_to_renew,
    sick_with_fever,
    units_not_reported,
)


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(UnitDutyCapability.VIEW):
        return []
    findings = reverse("unitduty:findings")
    out = []
    if user.can(UnitDutyCapability.REPORT):
        out.append(
            WorkItem(
                _("今日单位日报未填报"),
                units_not_reported(user, today).count(),
                reverse("unitduty:units") + "?unreported=1",
                order=30,
                detail=_("在岗、居家办公、测温、因病缺勤和重点群体检查"),
            )
        )
        out.append(
            WorkItem(
                _("防控责任书待续签"),
                letters_to_renew(user, today).count(),
                reverse("unitduty:units") + "?renew=1",
                order=33,
                detail=_("一周内到期或已过期"),
            )
        )
    out += [
        WorkItem(
            _("逾期未整改的事项"),
            findings_visible(user, status=OVERDUE, today=today).count(),
            f"{findings}?status={OVERDUE}",
            order=31,
            urgent=True,
        ),
        WorkItem(
            _("待整改的事项"),
            findings_visible(user, status=FindingStatus.OPEN).count(),
            f"{findings}?status={FindingStatus.OPEN}",
            order=32,
            detail=_("在岗率超限、宿舍不达标、检查发现的问题：按期整改"),
        ),
        WorkItem(
            _("单位因病缺勤且发热"),
            sick_with_fever(user, day=today).count(),
            reverse("unitduty:units") + "?fever=1",
            order=12,
            urgent=True,
        ),
    ]
    return out
