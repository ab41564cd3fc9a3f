"""What the daily figures add to the site (fangkong.core.modules)."""

from __future__ import annotations

from celery.schedules import crontab
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import DailyStep, MenuEntry, Module


class ReportsCapability(models.TextChoices):
    VIEW = "reports.view", _("查看日报和数据看板")


# Everyone who works on a jurisdiction's records reads its daily figures.
_READERS = (
    Role.DISTRICT_OFFICER,
    Role.STREET_OFFICER,
    Role.COMMUNITY_WORKER,
    Role.MEDICAL_STAFF,
    Role.POLICE_OFFICER,
    Role.CADRE,
)

MODULE = Module(
    app="reports",
    menu=(MenuEntry(gettext_noop("日报"), "reports:dashboard", ReportsCapability.VIEW, order=10),),
    capabilities=ReportsCapability,
    grants={role: frozenset({ReportsCapability.VIEW}) for role in _READERS},
    urls="fangkong.reports.urls",
    url_prefix="reports/",
    daily_steps=(
        # Last: the figures count what the steps before it changed.
        DailyStep(
            "figures",
            gettext_noop("生成每日数据（区域行数）"),
            "fangkong.reports.services.daily_snapshot",
            order=1000,
        ),
    ),
    periodic_tasks={
        "reports-today": {"task": "reports.refresh_today", "schedule": crontab(minute="*/5")},
    },
)
