"""What the audit log adds to the site (fangkong.core.modules)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.core.modules import MenuEntry, Module


class AuditCapability(models.TextChoices):
    VIEW = "audit.view", _("查看审计日志")


MODULE = Module(
    app="audit",
    menu=(MenuEntry(gettext_noop("审计"), "audit:list", AuditCapability.VIEW, order=90),),
    capabilities=AuditCapability,
    urls="fangkong.audit.urls",
    url_prefix="audit/",
)
