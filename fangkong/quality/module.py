"""What production quality adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class QualityCapability(models.TextChoices):
    VIEW = "quality.view", _("查看复工复产产品质量")
    RECORD = "quality.record", _("登记产品批次、抽检和装箱")


_BOTH = frozenset({QualityCapability.VIEW, QualityCapability.RECORD})
_READ = frozenset({QualityCapability.VIEW})

MODULE = Module(
    app="quality",
    menu=(MenuEntry(gettext_noop("产品抽检"), "quality:batches", QualityCapability.VIEW, 75),),
    capabilities=QualityCapability,
    grants={
        Role.DISTRICT_OFFICER: _READ,
        Role.STREET_OFFICER: _BOTH,
        Role.COMMUNITY_WORKER: _READ,
        Role.UNIT_CONTACT: _BOTH,
    },
    urls="fangkong.quality.urls",
    url_prefix="quality/",
    workbench="fangkong.quality.workbench.items",
    figures="fangkong.quality.figures.FIGURE_SET",
    demo="fangkong.quality.demo.load_demo",
    demo_order=90,
)
