"""What the jurisdiction tree adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class AreasCapability(models.TextChoices):
    VIEW = "areas.view", _("查看区域")
    CHANGE = "areas.change", _("调整区域")


MODULE = Module(
    app="areas",
    menu=(MenuEntry(gettext_noop("区域"), "areas:list", AreasCapability.VIEW, order=20),),
    capabilities=AreasCapability,
    grants={
        **{role: frozenset({AreasCapability.VIEW}) for role in Role.values},
        Role.DISTRICT_OFFICER: frozenset({AreasCapability.VIEW, AreasCapability.CHANGE}),
    },
    urls="fangkong.areas.urls",
    url_prefix="areas/",
    demo="fangkong.areas.demo.load_demo",
    demo_order=10,
)
