"""Returnees' items on the 工作台 (fangkong.core.modules.WorkItem): what is waiting today,
each linked to the list where it is done. Items need the capability of their action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.arrivals.models import (
    Alert,
    Arrival,
    ArrivalNotice,
    CallTask,
    CallTaskStatus,
    NoticePerson,
    NoticeStatus,
    Observation,
    ObservationStatus,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.notices.selectors import OVERDUE, notices_overdue
from fangkong.arrivals.observation.selectors import missing_today_q
from fangkong.core.modules import WorkItem


def _url(name: str, **query: str) -> str:
    url = reverse(name)
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def items(user: Any, today: dt.date) -> list[WorkItem]:
    if not user.can(ArrivalsCapability.VIEW):
        return []
    notices = ArrivalNotice.objects.visible_to(user)
    observations = Observation.objects.visible_to(user)
    alerts = Alert.objects.visible_to(user).filter(handled_at=None).count()
    out = [
        WorkItem(
            _("发热、症状预警待处置"),
            alerts,
            _url("arrivals:alerts"),
            order=10,
            urgent=user.can(ArrivalsCapability.ALERTS_HANDLE),
            menu="arrivals:alerts",
        ),
        WorkItem(
            _("逾期未到京的报备"),
            notices_overdue(user=user, today=today).count(),
            _url("arrivals:notices", status=OVERDUE),
            order=40,
            detail=_("可以返京、已过计划日期，还有人没到：电话问问"),
        ),
    ]
    if user.can(ArrivalsCapability.CHANGE):
        expected = NoticePerson.objects.filter(notice=OuterRef("pk"), arrival=Arrival.EXPECTED)
        out += [
            WorkItem(
                _("返京报备待确认"),
                notices.filter(status=NoticeStatus.PENDING).count(),
                _url("arrivals:notices", status=NoticeStatus.PENDING),
                order=20,
                detail=_("公开页提交的报备，电话核实后确认"),
                menu="arrivals:notices",
            ),
            WorkItem(
                _("今天预计到京"),
                notices.filter(status=NoticeStatus.READY, planned_on=today)
                .filter(Exists(expected))
                .count(),
                _url("arrivals:notices", status=NoticeStatus.READY),
                order=35,
                detail=_("到了就登记到京，观察从今天算起"),
            ),
            WorkItem(
                _("今日未报体温"),
                observations.filter(missing_today_q()).count(),
                _url("arrivals:observations", tab="missing_today"),
                order=50,
                detail=_("居家观察的人今天还有时段没填报"),
            ),
            WorkItem(
                _("分配给我的电话询问"),
                CallTask.objects.visible_to(user)
                .filter(status=CallTaskStatus.OPEN, assignee=user)
                .count(),
                _url("arrivals:tasks", state="mine"),
                order=55,
                urgent=True,
            ),
            WorkItem(
                _("待电话询问"),
                CallTask.objects.visible_to(user).filter(status=CallTaskStatus.OPEN).count(),
                _url("arrivals:tasks"),
                order=60,
                detail=_("漏报体温的人，电话问后代填"),
            ),
            WorkItem(
                _("今明两天期满解除观察"),
                observations.filter(
                    status=ObservationStatus.ACTIVE,
                    last_day__gte=today - dt.timedelta(days=1),
                    last_day__lte=today,
                ).count(),
                _url("arrivals:observations", tab="ending_this_week"),
                order=70,
                detail=_("开具解除观察证明"),
            ),
        ]
    if user.can(ArrivalsCapability.INSPECT):
        out.append(
            WorkItem(
                _("待核查观察条件"),
                notices.filter(status__in=[NoticeStatus.INSPECTION, NoticeStatus.FAILED]).count(),
                _url("arrivals:notices", status=NoticeStatus.INSPECTION),
                order=30,
                detail=_("联合核查组上门核查居家或集中观察条件"),
            )
        )
    return out
