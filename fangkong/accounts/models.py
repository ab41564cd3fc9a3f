from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.accounts.roles import Role, capabilities_of


class FangkongUserManager(UserManager["User"]):
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra: Any,
    ) -> User:
        # `fangkong createsuperuser` makes a system admin who sees the whole tree.
        extra.setdefault("role", Role.SYSTEM_ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """An account: one area node and one role (the spine of the system)."""

    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("所属区域"),
        help_text=_("账号只能看到和处理这个区域及其下级的数据；系统管理员可以不设"),
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    objects = FangkongUserManager()  # type: ignore[misc]

    scope_field = "area"

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__isnull=False) | models.Q(role=Role.SYSTEM_ADMIN),
                name="user_area_required_unless_admin",
            ),
        ]

    @property
    def sees_everything(self) -> bool:
        """A system admin without an area node sees the whole tree."""
        return self.role == Role.SYSTEM_ADMIN and self.area_id is None

    @property
    def acts_for_units(self) -> bool:
        """A unit contact sees only the units it is the contact of (core.scoping)."""
        return self.role == Role.UNIT_CONTACT

    def can(self, capability: str) -> bool:
        return self.is_active and capability in capabilities_of(self.role)
