"""What patrol and disinfection rounds add to the site (fangkong.core.modules). No menu
entry: the rounds page is reached from the 工作台 (due and overdue rounds) and from the
duty pages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.roles import Role
from fangkong.core.modules import Module


class RoundsCapability(models.TextChoices):
    VIEW = "rounds.view", _("查看巡查消杀")
    RECORD = "rounds.record", _("记录巡查消杀")
    PLAN = "rounds.plan", _("管理巡查消杀点位和计划")


_ALL = frozenset(RoundsCapability.values)
_DOERS = frozenset({RoundsCapability.VIEW, RoundsCapability.RECORD})
_READERS = frozenset({RoundsCapability.VIEW})

MODULE = Module(
    app="rounds",
    capabilities=RoundsCapability,
    grants={
        Role.DISTRICT_OFFICER: _READERS,
        Role.STREET_OFFICER: _READERS,
        Role.COMMUNITY_WORKER: _ALL,
        Role.CADRE: _DOERS,
        Role.GATE_GUARD: _DOERS,
    },
    urls="fangkong.rounds.urls",
    url_prefix="rounds/",
    figures="fangkong.rounds.figures.FIGURE_SET",
    workbench="fangkong.rounds.workbench.items",
    demo="fangkong.rounds.demo.load_demo",
    demo_order=75,
)
