"""The registry (摸排登记): who lives where, whose room it is, who employs them, who is
not back yet. Document numbers and phones are stored encrypted with a keyed hash for
exact lookups and a masked copy for lists (fangkong.core.crypto)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.indexes import EqualityIndex
from fangkong.core.scoping import ScopedQuerySet


class DocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_PERMIT = "hk_macao_permit", _("港澳通行证")
    TAIWAN_PERMIT = "taiwan_permit", _("台湾通行证")
    OTHER = "other", _("其他证件")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
    UNKNOWN = "unknown", _("未知")


class Residency(models.TextChoices):
    REGISTERED = "registered", _("常住人口")
    MIGRANT = "migrant", _("流动人口")


class Whereabouts(models.TextChoices):
    IN_BEIJING = "in_beijing", _("在京")
    NOT_BACK = "not_back", _("未返京")


class PersonQuerySet(ScopedQuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        """People who were not merged into someone else."""
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        related_name="people",
        verbose_name=_("登记区域"),
        # The (area, whereabouts) index below serves every lookup by area; a second
        # index on area alone would only slow down each insert (an import writes 100,000).
        db_index=False,
    )
    name = models.CharField(_("姓名"), max_length=50)
    document_type = models.CharField(
        _("证件类型"), max_length=20, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    document_cipher = models.BinaryField(null=True, editable=False)
    document_index = models.CharField(max_length=32, null=True, editable=False)
    document_masked = models.CharField(_("证件号码"), max_length=40, blank=True)
    phone_cipher = models.BinaryField(null=True, editable=False)
    phone_index = models.CharField(max_length=32, null=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    residency = models.CharField(
        _("人员类别"), max_length=16, choices=Residency.choices, default=Residency.REGISTERED
    )
    whereabouts = models.CharField(
        _("是否在京"), max_length=16, choices=Whereabouts.choices, default=Whereabouts.IN_BEIJING
    )
    away_from = models.CharField(_("未返京所在地"), max_length=100, blank=True)
    employer = models.ForeignKey(
        "units.Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("工作单位"),
        db_index=False,  # partial, in Meta.indexes (see there)
    )
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("已合并到"),
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["area", "name", "id"]
        constraints = [
            # One person per document: the database keeps it even under a race.
            models.UniqueConstraint(
                fields=["document_type", "document_index"],
                condition=models.Q(document_index__isnull=False),
                name="person_one_per_document",
            ),
            models.CheckConstraint(
                condition=models.Q(whereabouts="not_back") | models.Q(away_from=""),
                name="person_away_from_only_when_not_back",
            ),
        ]
        indexes = [
            # Exact matches only: a hash index on PostgreSQL (see EqualityIndex).
            EqualityIndex(fields=["phone_index"], name="person_phone_hash"),
            models.Index(fields=["area", "whereabouts"]),
            models.Index(fields=["name", "birth_date"]),
            # Optional links are looked up by a value, never by their absence: indexes on
            # the rows that have one, so that the many rows without (every new person's
            # merged_into, an import's created_by from the command line, most employers)
            # cost an import no index entries.
            *(
                models.Index(
                    fields=[name],
                    condition=models.Q(**{f"{name}__isnull": False}),
                    name=f"person_{name}_set",
                )
                for name in ("employer", "merged_into", "created_by")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_name(self) -> str:
        """张** for lists shown to people who need no more (gate guards)."""
        return self.name[:1] + "*" * max(len(self.name) - 1, 1)


class Address(models.Model):
    """A room in a building of a zone or community: one household lives at one address."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="addresses", verbose_name=_("片区/社区")
    )
    building = models.CharField(_("楼栋/院"), max_length=40)
    entrance = models.CharField(_("单元"), max_length=20, blank=True)
    room = models.CharField(_("房间"), max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("住址")
        verbose_name_plural = _("住址")
        ordering = ["area", "building", "entrance", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "building", "entrance", "room"], name="address_unique"
            )
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.building, self.entrance, self.room) if part)


class ResidenceKind(models.TextChoices):
    OWNER = "owner", _("自有住房")
    TENANT = "tenant", _("租住")
    DORMITORY = "dormitory", _("集体宿舍")
    UNIT_HOUSING = "unit_housing", _("单位住房")


class ResidenceQuerySet(ScopedQuerySet["Residence"]):
    def current(self) -> ResidenceQuerySet:
        return self.filter(until__isnull=True)


class Residence(models.Model):
    scope_field: ClassVar[str] = "address__area"

    person = models.ForeignKey(Person, models.PROTECT, related_name="residences")
    address = models.ForeignKey(Address, models.PROTECT, related_name="residences")
    kind = models.CharField(_("居住类型"), max_length=16, choices=ResidenceKind.choices)
    since = models.DateField(_("入住日期"), null=True, blank=True)
    until = models.DateField(_("迁出日期"), null=True, blank=True)
    landlord = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="rented_out",
        verbose_name=_("房东"),
        db_index=False,  # partial: only tenants have one
    )

    objects = ResidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("居住")
        verbose_name_plural = _("居住")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(until__isnull=True),
                name="residence_one_current_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(landlord__isnull=True) | models.Q(kind="tenant"),
                name="residence_landlord_only_for_tenants",
            ),
        ]
        indexes = [
            models.Index(
                fields=["landlord"],
                condition=models.Q(landlord__isnull=False),
                name="residence_landlord_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.address}"
