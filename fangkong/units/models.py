"""Units in the jurisdiction (a minimal start: the units issue extends it)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class UnitKind(models.TextChoices):
    ORGAN = "organ", _("机关")
    ENTERPRISE = "enterprise", _("企业")
    COMMERCIAL_BUILDING = "commercial_building", _("商务楼宇")
    CONSTRUCTION_SITE = "construction_site", _("建筑工地")
    HOSPITAL = "hospital", _("医院")
    SMALL_PLACE = "small_place", _("七小场所")
    OTHER = "other", _("其他")


class Unit(models.Model):
    scope_field: ClassVar[str] = "area"

    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=32, choices=UnitKind.choices, default=UnitKind.ENTERPRISE
    )
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="units", verbose_name=_("所在区域")
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone_masked = models.CharField(_("联系电话"), max_length=20, blank=True)
    contact_phone_cipher = models.BinaryField(null=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name
