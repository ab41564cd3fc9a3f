"""What duty adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class DutyCapability(models.TextChoices):
    VIEW = "duty.view", _("查看值守和排班")
    PLAN = "duty.plan", _("值守排班")
    SIGN = "duty.sign", _("值守签到签退")


_ALL = frozenset({DutyCapability.VIEW, DutyCapability.PLAN, DutyCapability.SIGN})

MODULE = Module(
    app="duty",
    menu=(MenuEntry(gettext_noop("值守"), "duty:posts", DutyCapability.VIEW, order=55),),
    capabilities=DutyCapability,
    grants={
        Role.DISTRICT_OFFICER: frozenset({DutyCapability.VIEW}),
        Role.STREET_OFFICER: frozenset({DutyCapability.VIEW}),
        Role.COMMUNITY_WORKER: _ALL,
        Role.CADRE: frozenset({DutyCapability.VIEW}),
        Role.GATE_GUARD: frozenset({DutyCapability.VIEW, DutyCapability.SIGN}),
    },
    urls="fangkong.duty.urls",
    url_prefix="duty/",
    figures="fangkong.duty.figures.FIGURE_SET",
    workbench="fangkong.duty.workbench.items",
    demo="fangkong.duty.demo.load_demo",
    demo_order=70,
)
