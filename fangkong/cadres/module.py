"""What sent-down cadres add to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class CadresCapability(models.TextChoices):
    VIEW = "cadres.view", _("查看下沉干部")
    MANAGE = "cadres.manage", _("管理下沉干部（单位、安排、保险、培训）")
    CHECK = "cadres.check", _("登记下沉干部签到和健康监测")


_ALL = frozenset(CadresCapability)
_COMMUNITY = frozenset({CadresCapability.VIEW, CadresCapability.CHECK})

MODULE = Module(
    app="cadres",
    menu=(MenuEntry(gettext_noop("下沉干部"), "cadres:list", CadresCapability.VIEW, order=60),),
    capabilities=CadresCapability,
    grants={
        Role.DISTRICT_OFFICER: _ALL,
        Role.STREET_OFFICER: _ALL,
        Role.COMMUNITY_WORKER: _COMMUNITY,
        Role.CADRE: _COMMUNITY,
    },
    urls="fangkong.cadres.urls",
    url_prefix="cadres/",
    workbench="fangkong.cadres.workbench.items",
    figures="fangkong.cadres.figures.FIGURE_SET",
    demo="fangkong.cadres.demo.load_demo",
    demo_order=86,
)
