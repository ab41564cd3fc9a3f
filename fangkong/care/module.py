"""What care for isolated households adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class CareCapability(models.TextChoices):
    VIEW = "care.view", _("查看隔离家庭关怀和求助")
    SERVE = "care.serve", _("拨打关怀电话、办理隔离家庭求助")


_BOTH = frozenset({CareCapability.VIEW, CareCapability.SERVE})
_READ = frozenset({CareCapability.VIEW})

MODULE = Module(
    app="care",
    menu=(MenuEntry(gettext_noop("隔离关怀"), "care:calls", CareCapability.VIEW, order=43),),
    capabilities=CareCapability,
    grants={
        Role.DISTRICT_OFFICER: _READ,
        Role.STREET_OFFICER: _READ,
        Role.COMMUNITY_WORKER: _BOTH,
        Role.CADRE: _BOTH,
        Role.MEDICAL_STAFF: _READ,
    },
    urls="fangkong.care.urls",
    url_prefix="care/",
    workbench="fangkong.care.workbench.items",
    figures="fangkong.care.figures.FIGURE_SET",
    demo="fangkong.care.demo.load_demo",
    demo_order=85,
)
