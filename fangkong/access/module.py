"""What passes and gates add to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import DailyStep, MenuEntry, Module


class AccessCapability(models.TextChoices):
    PASSES_VIEW = "passes.view", _("查看出入证和门岗记录")
    PASSES_ISSUE = "passes.issue", _("核发出入证")
    GATE_CHECK = "gate.check", _("门岗查验")


_WORK = frozenset(
    {AccessCapability.PASSES_VIEW, AccessCapability.PASSES_ISSUE, AccessCapability.GATE_CHECK}
)

MODULE = Module(
    app="access",
    menu=(
        MenuEntry(gettext_noop("出入证"), "access:passes", AccessCapability.PASSES_VIEW, order=50),
        MenuEntry(gettext_noop("门岗查验"), "access:gate", AccessCapability.GATE_CHECK, order=51),
    ),
    capabilities=AccessCapability,
    grants={
        Role.DISTRICT_OFFICER: frozenset({AccessCapability.PASSES_VIEW}),
        Role.STREET_OFFICER: frozenset({AccessCapability.PASSES_VIEW}),
        Role.COMMUNITY_WORKER: _WORK,
        Role.CADRE: _WORK,
        Role.POLICE_OFFICER: frozenset({AccessCapability.PASSES_VIEW}),
        Role.GATE_GUARD: frozenset({AccessCapability.GATE_CHECK}),
    },
    urls="fangkong.access.urls",
    figures="fangkong.access.figures.FIGURE_SET",
    workbench="fangkong.access.workbench.items",
    url_prefix="access/",
    daily_steps=(
        DailyStep(
            "passes_expired",
            gettext_noop("过期出入证"),
            "fangkong.access.services.daily_expire_passes",
            order=30,
        ),
    ),
    demo="fangkong.access.demo.load_demo",
    demo_order=60,
)
