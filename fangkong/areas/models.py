"""The jurisdiction tree (属地): district → street / township / town / area → community /
village → zone. Every scoped record hangs off one of these nodes."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet, subtree_q


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    TOWNSHIP = "township", _("乡")
    TOWN = "town", _("镇")
    AREA = "area", _("地区")
    COMMUNITY = "community", _("社区")
    VILLAGE = "village", _("村")
    ZONE = "zone", _("片区")


# Which kinds may sit directly under which: the level of each kind in the tree.
KIND_LEVEL: dict[str, int] = {
    AreaKind.DISTRICT: 0,
    AreaKind.STREET: 1,
    AreaKind.TOWNSHIP: 1,
    AreaKind.TOWN: 1,
    AreaKind.AREA: 1,
    AreaKind.COMMUNITY: 2,
    AreaKind.VILLAGE: 2,
    AreaKind.ZONE: 3,
}
# Where people live, and so where they are registered, notified, observed and checked.
LIVING_KINDS = frozenset({AreaKind.COMMUNITY, AreaKind.VILLAGE, AreaKind.ZONE})


class AreaQuerySet(ScopedQuerySet["Area"]):
    def current(self) -> AreaQuerySet:
        return self.filter(retired_on__isnull=True)

    def subtree_of(self, area: Area) -> AreaQuerySet:
        return self.filter(subtree_q("path", area.path, using=self.db))


class Area(models.Model):
    """One node of the tree. `path` is the materialised path of codes, e.g.
    "/110106/110106014/110106014001/", so a subtree is one indexed prefix match."""

    scope_field: ClassVar[str] = ""  # an area is scoped by its own path

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    path = models.CharField(max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(
        _("演示数据"),
        default=False,
        help_text=_("名称或代码为演示而编写，并非官方数据"),
    )
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("并入 / 更名为"),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="area_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.retired_on is None

    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.strip("/").split("/") if code]


class AreaChangeKind(models.TextChoices):
    CREATED = "created", _("设立")
    RENAMED = "renamed", _("更名")
    MOVED = "moved", _("调整隶属")
    MERGED = "merged", _("撤并")


class AreaChange(models.Model):
    """History of a node: what it was called and where it hung before a change."""

    area = models.ForeignKey(Area, models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=16, choices=AreaChangeKind.choices)
    effective_on = models.DateField(_("生效日期"))
    old_name = models.CharField(max_length=100, blank=True)
    new_name = models.CharField(max_length=100, blank=True)
    old_parent_code = models.CharField(max_length=32, blank=True)
    new_parent_code = models.CharField(max_length=32, blank=True)
    successor = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["area", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.area.code} {self.get_kind_display()} {self.effective_on}"
