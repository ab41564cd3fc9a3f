"""What units' duty (单位主体责任) adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class UnitDutyCapability(models.TextChoices):
    VIEW = "unitduty.view", _("查看单位日报和整改事项")
    REPORT = "unitduty.report", _("填报单位日报、登记宿舍")
    INSPECT = "unitduty.inspect", _("检查单位、下达和关闭整改事项")


_VIEW = frozenset({UnitDutyCapability.VIEW})
_ALL = frozenset(UnitDutyCapability)

MODULE = Module(
    app="unitduty",
    menu=(MenuEntry(gettext_noop("单位责任"), "unitduty:units", UnitDutyCapability.VIEW, 72),),
    capabilities=UnitDutyCapability,
    grants={
        Role.DISTRICT_OFFICER: _ALL,
        Role.STREET_OFFICER: _ALL,
        Role.COMMUNITY_WORKER: _ALL,
        Role.UNIT_CONTACT: frozenset({UnitDutyCapability.VIEW, UnitDutyCapability.REPORT}),
        Role.MEDICAL_STAFF: _VIEW,
    },
    urls="fangkong.unitduty.urls",
    url_prefix="unitduty/",
    workbench="fangkong.unitduty.workbench.items",
    figures="fangkong.unitduty.figures.FIGURE_SET",
    demo="fangkong.unitduty.demo.load_demo",
    demo_order=85,
)
