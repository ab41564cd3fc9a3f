"""What returnees (notices, observation, health reports) add to the site
(fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import DailyStep, MenuEntry, Module


class ArrivalsCapability(models.TextChoices):
    VIEW = "arrivals.view", _("查看返京报备和观察")
    CHANGE = "arrivals.change", _("处理返京报备和观察")
    INSPECT = "arrivals.inspect", _("核查观察条件")
    HEALTH_RECORD = "health.record", _("代填健康报告")
    ALERTS_HANDLE = "alerts.handle", _("处置发热预警")


_WORK = frozenset(
    {
        ArrivalsCapability.VIEW,
        ArrivalsCapability.CHANGE,
        ArrivalsCapability.INSPECT,
        ArrivalsCapability.HEALTH_RECORD,
    }
)

MODULE = Module(
    app="arrivals",
    menu=(
        MenuEntry(gettext_noop("返京报备"), "arrivals:notices", ArrivalsCapability.VIEW, order=40),
        MenuEntry(gettext_noop("观察"), "arrivals:observations", ArrivalsCapability.VIEW, order=41),
        MenuEntry(gettext_noop("预警"), "arrivals:alerts", ArrivalsCapability.VIEW, order=42),
    ),
    capabilities=ArrivalsCapability,
    grants={
        Role.DISTRICT_OFFICER: frozenset({ArrivalsCapability.VIEW}),
        Role.STREET_OFFICER: frozenset({ArrivalsCapability.VIEW}),
        Role.COMMUNITY_WORKER: _WORK,
        Role.CADRE: _WORK,
        Role.MEDICAL_STAFF: frozenset(
            {
                ArrivalsCapability.VIEW,
                ArrivalsCapability.INSPECT,
                ArrivalsCapability.HEALTH_RECORD,
                ArrivalsCapability.ALERTS_HANDLE,
            }
        ),
        Role.POLICE_OFFICER: frozenset({ArrivalsCapability.VIEW, ArrivalsCapability.INSPECT}),
    },
    urls="fangkong.arrivals.urls",
    figures="fangkong.arrivals.figures.FIGURE_SET",
    workbench="fangkong.arrivals.workbench.items",
    url_prefix="arrivals/",
    daily_steps=(
        DailyStep(
            "call_tasks",
            gettext_noop("新增电话询问任务"),
            "fangkong.arrivals.health.services.daily_raise_call_tasks",
            order=10,
        ),
        DailyStep(
            "released",
            gettext_noop("到期解除观察"),
            "fangkong.arrivals.health.services.daily_release",
            order=20,
        ),
    ),
    demo="fangkong.arrivals.demo.load_demo",
    demo_order=50,
)
