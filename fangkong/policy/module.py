"""What policy adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Role
from fangkong.core.modules import MenuEntry, Module


class PolicyCapability(models.TextChoices):
    VIEW = "policy.view", _("查看政策")
    CHANGE = "policy.change", _("发布政策")


MODULE = Module(
    app="policy",
    menu=(MenuEntry(gettext_noop("政策"), "policy:list", PolicyCapability.VIEW, order=80),),
    capabilities=PolicyCapability,
    grants={
        **{role: frozenset({PolicyCapability.VIEW}) for role in Role.values},
        Role.DISTRICT_OFFICER: frozenset({PolicyCapability.VIEW, PolicyCapability.CHANGE}),
    },
    urls="fangkong.policy.urls",
    url_prefix="policy/",
    demo="fangkong.policy.demo.load_demo",
    demo_order=20,
)
