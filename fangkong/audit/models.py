"""Append-only audit log. The database itself refuses UPDATE and DELETE on it (triggers
in migration 0002, on SQLite and PostgreSQL alike)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class AuditAction(models.TextChoices):
    VIEW_RECORD = "view_record", _("查看完整个人信息")
    SEARCH_DOCUMENT = "search_document", _("按证件号查询")
    EXPORT = "export", _("导出")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    CHANGE = "change", _("修改")


# What an export (fangkong.audit.services.audit_export) wrote out, by its `what`.
EXPORTS = {
    "registry.person": _("人员名单"),
    "registry.person.full": _("人员名单（完整证件号和电话）"),
    "observation_notices": _("观察告知书"),
    "release_certificates": _("解除观察证明"),
    "reports.daily": _("日报"),
    "duty.hours": _("值守时长"),  # its English is in duty's catalogue
    "party.donation": _("党员捐款明细"),
}


def object_type_label(label: str) -> str:
    """What a record is about, as a reader says it: the export's name, the model's verbose
    name for an "app.model" label, or the label itself (a model since removed)."""
    if label in EXPORTS:
        return str(EXPORTS[label])
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


class AuditEventQuerySet(ScopedQuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit log is append-only")


class AuditEvent(models.Model):
    scope_field: ClassVar[str] = "area"

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("动作"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区域"),
    )
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    detail = models.CharField(
        _("说明"),
        max_length=300,
        blank=True,
        help_text=_("不得含证件号、电话等个人信息明文"),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("the audit log is append-only")

    @property
    def object_label(self) -> str:
        """What the record is about, as a reader says it: 人员 for registry.person."""
        return object_type_label(self.object_type)
