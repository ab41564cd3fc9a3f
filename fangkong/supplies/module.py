"""What protective supplies add to the site (fangkong.core.modules). No menu entry: the
stock page is reached from its 工作台 item (low stock) and, later, from the duty page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.roles import Role
from fangkong.core.modules import Module


class SuppliesCapability(models.TextChoices):
    VIEW = "supplies.view", _("查看防护物资库存")
    RECORD = "supplies.record", _("登记防护物资出入库")
    ITEMS = "supplies.items", _("管理防护物资品类")


_BOTH = frozenset({SuppliesCapability.VIEW, SuppliesCapability.RECORD})
_READ = frozenset({SuppliesCapability.VIEW})
_LIST = frozenset({SuppliesCapability.VIEW, SuppliesCapability.ITEMS})

MODULE = Module(
    app="supplies",
    capabilities=SuppliesCapability,
    grants={
        Role.DISTRICT_OFFICER: _LIST,
        Role.STREET_OFFICER: _LIST,
        Role.COMMUNITY_WORKER: _BOTH,
        Role.CADRE: _BOTH,
        Role.GATE_GUARD: _READ,
    },
    urls="fangkong.supplies.urls",
    url_prefix="supplies/",
    workbench="fangkong.supplies.workbench.items",
    figures="fangkong.supplies.figures.FIGURE_SET",
    demo="fangkong.supplies.demo.load_demo",
    demo_order=80,
)
