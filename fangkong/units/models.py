"""Units in the jurisdiction: name, kind, area, address, headcount, legal representative
and contact. Their duties that need people (daily reports, dormitories, inspections) live
in `unitduty`, above registry."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class UnitKind(models.TextChoices):
    ORGAN = "organ", _("机关")
    ENTERPRISE = "enterprise", _("企业")
    COMMERCIAL_BUILDING = "commercial_building", _("商务楼宇")
    CONSTRUCTION_SITE = "construction_site", _("建筑工地")
    HOSPITAL = "hospital", _("医院")
    SMALL_PLACE = "small_place", _("七小场所（其他）")
    # The seven small places (七小场所) by name.
    SMALL_RESTAURANT = "small_restaurant", _("小餐馆")
    SMALL_INTERNET_CAFE = "small_internet_cafe", _("小网吧")
    SMALL_HOTEL = "small_hotel", _("小旅馆")
    SMALL_BATHHOUSE = "small_bathhouse", _("小浴室")
    SMALL_KARAOKE = "small_karaoke", _("小歌舞厅")
    SMALL_BARBER = "small_barber", _("小理发店")
    SMALL_SHOP = "small_shop", _("小便民店")
    OTHER = "other", _("其他")


SMALL_PLACE_KINDS = frozenset(kind for kind in UnitKind.values if kind.startswith("small_"))


class Unit(models.Model):
    scope_field: ClassVar[str] = "area"
    # An account that acts for units (a unit contact) sees only the units it is the
    # contact of, and their records (core.scoping); "" : the lookup starts at Unit itself.
    unit_scope: ClassVar[str] = ""

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
    address = models.CharField(_("地址"), max_length=200, blank=True, default="")
    headcount = models.PositiveIntegerField(_("在册人数"), null=True, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True, default="")
    contact_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_units",
        verbose_name=_("单位联系人账号"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def small_place(self) -> bool:
        return self.kind in SMALL_PLACE_KINDS
