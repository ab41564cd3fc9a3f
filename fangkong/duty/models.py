"""Duty posts (值守点): where people stand watch, usually at a gate, and how many each
shift needs. Shifts, rosters and attendance build on them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class Post(models.Model):
    """A post of an area (社区 / 村 / 片区), at a gate or not (a patrol post)."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="duty_posts", verbose_name=_("所在社区/片区")
    )
    gate = models.ForeignKey(
        "access.Gate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_posts",
        verbose_name=_("所在门岗"),
    )
    name = models.CharField(_("名称"), max_length=60)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值守点")
        verbose_name_plural = _("值守点")
        ordering = ["area__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="duty_post_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
