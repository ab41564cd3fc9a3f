"""What accounts add to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.roles import Role
from fangkong.core.modules import Module


class AccountsCapability(models.TextChoices):
    MANAGE = "accounts.manage", _("管理账号")


MODULE = Module(
    app="accounts",
    capabilities=AccountsCapability,
    grants={Role.SYSTEM_ADMIN: frozenset({AccountsCapability.MANAGE})},
    urls="fangkong.accounts.urls",
    url_prefix="accounts/",
    demo="fangkong.accounts.demo.load_demo",
    demo_order=30,
)
