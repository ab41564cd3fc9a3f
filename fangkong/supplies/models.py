"""Protective supplies (防护物资): items, stores (a community's, a post's), the ledger of
movements and one balance row per (store, item).

The ledger is the truth: a store's stock of an item is the sum of its movements'
quantities (signed). The balance row is kept in the same transaction as each movement, by
a conditional UPDATE that never takes it below zero (two hand-outs at once cannot both
take the last box); a CHECK constraint is the last guard. Movements are never edited or
deleted: a mistake is undone by a reversing entry.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet

# The usual protective supplies (name, unit, order): every site starts with them (data
# migration 0002) and the demo and tests put them back where a flush removed them.
STANDARD_ITEMS: tuple[tuple[str, str, int], ...] = (
    ("口罩", "片", 10),
    ("医用外科口罩", "盒", 11),
    ("一次性手套", "副", 20),
    ("消毒液", "瓶", 30),
    ("75%酒精", "瓶", 31),
    ("额温枪", "把", 40),
    ("防护服", "套", 50),
)


class Item(models.Model):
    """A kind of supply, counted in whole units of `unit` (片, 盒, 瓶, 升, 把, 套 …)."""

    name = models.CharField(_("物资"), max_length=40, unique=True)
    unit = models.CharField(_("单位"), max_length=10)
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("防护物资")
        verbose_name_plural = _("防护物资")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class Store(models.Model):
    """Where stock is held: a community's (or zone's) store, or a duty post's."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="supply_stores", verbose_name=_("所属区域")
    )
    post = models.OneToOneField(
        "duty.Post",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supply_store",
        verbose_name=_("值守点"),
    )
    name = models.CharField(_("名称"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("物资库")
        verbose_name_plural = _("物资库")
        ordering = ["area__path", "post_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(post__isnull=True),
                name="supplies_one_area_store",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StockLevel(models.Model):
    """The running balance of one item in one store, and its low-stock line."""

    scope_field: ClassVar[str] = "store__area"

    store = models.ForeignKey(Store, models.PROTECT, related_name="levels")
    item = models.ForeignKey(Item, models.PROTECT, related_name="levels")
    balance = models.IntegerField(_("库存"), default=0)
    minimum = models.PositiveIntegerField(_("最低库存"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存")
        ordering = ["store", "item__order", "item__name"]
        constraints = [
            models.UniqueConstraint(fields=["store", "item"], name="supplies_level_once"),
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="supplies_balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.item_id}: {self.balance}"

    @property
    def low(self) -> bool:
        return self.balance < self.minimum


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("入库")
    HANDOUT = "handout", _("发放")
    TRANSFER_OUT = "transfer_out", _("调出")
    TRANSFER_IN = "transfer_in", _("调入")
    COUNT = "count", _("盘点")
    REVERSAL = "reversal", _("冲销")


class ReceiptSource(models.TextChoices):
    STREET = "street", _("街道下发")
    PURCHASE = "purchase", _("采购")
    DONATION = "donation", _("捐赠")


class Movement(models.Model):
    """One row of the ledger: `quantity` is signed (in > 0, out < 0)."""

    scope_field: ClassVar[str] = "store__area"

    store = models.ForeignKey(Store, models.PROTECT, related_name="movements")
    item = models.ForeignKey(Item, models.PROTECT, related_name="movements")
    kind = models.CharField(_("类型"), max_length=16, choices=MovementKind.choices)
    quantity = models.IntegerField(_("数量"))
    # Receipts: where it came from.
    source = models.CharField(
        _("来源"), max_length=10, choices=ReceiptSource.choices, blank=True, default=""
    )
    donor = models.CharField(_("捐赠 / 供货方"), max_length=80, blank=True, default="")
    # Hand-outs: to a post, a person or a cadre (an account).
    to_post = models.ForeignKey(
        "duty.Post", models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_person = models.ForeignKey(
        "registry.Person", models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Transfers: the other store (both legs are rows; the in-leg points at the out-leg).
    other_store = models.ForeignKey(Store, models.PROTECT, null=True, blank=True, related_name="+")
    pair = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="paired"
    )
    # Counts: what was counted (the quantity is the difference).
    counted = models.PositiveIntegerField(null=True, blank=True)
    # Reversals: the movement undone (once).
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("物资出入库记录")
        verbose_name_plural = _("物资出入库记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["store", "item", "at"], name="supplies_move_store_item")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_id} {self.quantity:+d}"

    @property
    def recipient(self) -> str:
        if self.to_post_id:
            return str(self.to_post)
        if self.to_person_id:
            return self.to_person.masked_name if self.to_person else ""
        if self.to_account_id:
            return str(self.to_account)
        if self.other_store_id:
            return str(self.other_store)
        return self.donor or (self.get_source_display() if self.source else "")
