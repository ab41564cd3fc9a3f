"""Scoped reads of supplies: the stores and stock a user may see, a store's ledger, low
stock, and the proof that the ledger adds up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet, Sum

from fangkong.areas.models import Area
from fangkong.core.scoping import subtree_q
from fangkong.supplies.models import Item, Movement, StockLevel, Store


def stores_visible(user: Any, *, area: Area | None = None) -> QuerySet[Store]:
    qs = Store.objects.visible_to(user).select_related("area", "post")
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area.path))
    return qs


def levels_visible(user: Any, *, area: Area | None = None) -> QuerySet[StockLevel]:
    qs = StockLevel.objects.visible_to(user).select_related("store__area", "store__post", "item")
    if area is not None:
        qs = qs.filter(subtree_q("store__area__path", area.path))
    return qs.order_by("store__area__path", "store__post_id", "store__name", "item__order")


def low_levels(user: Any) -> QuerySet[StockLevel]:
    """Items below their minimum in the stores the user may see."""
    return levels_visible(user).filter(balance__lt=F("minimum"))


@dataclass
class StoreStock:
    store: Store
    levels: list[StockLevel]

    @property
    def low(self) -> int:
        return sum(1 for level in self.levels if level.low)


def stock_by_store(user: Any, *, area: Area | None = None) -> list[StoreStock]:
    """Every visible store (those without stock too) with its balance rows."""
    by_store: dict[int, StoreStock] = {
        store.pk: StoreStock(store, []) for store in stores_visible(user, area=area)
    }
    for level in levels_visible(user, area=area):
        if level.store_id in by_store:
            by_store[level.store_id].levels.append(level)
    return list(by_store.values())


def store_ledger(store: Store) -> QuerySet[Movement]:
    return (
        Movement.objects.filter(store=store)
        .select_related("item", "by", "to_post", "to_person", "to_account", "other_store")
        .select_related("reversed_by")
    )


def movements_visible(user: Any) -> QuerySet[Movement]:
    return Movement.objects.visible_to(user).select_related(
        "store", "item", "by", "to_post", "to_person", "to_account", "other_store"
    )


def active_items() -> QuerySet[Item]:
    return Item.objects.filter(active=True)


def ledger_mismatches(store: Store | None = None) -> list[dict[str, Any]]:
    """(store, item) pairs whose balance row differs from the sum of their movements —
    empty when the ledger adds up. Pairs with movements but no balance row count too."""
    sums = Movement.objects.values("store_id", "item_id").annotate(total=Sum("quantity"))
    levels = StockLevel.objects.all()
    if store is not None:
        sums = sums.filter(store=store)
        levels = levels.filter(store=store)
    totals = {(row["store_id"], row["item_id"]): row["total"] for row in sums.order_by()}
    balances = {(lv.store_id, lv.item_id): lv.balance for lv in levels}
    out = []
    for key in sorted(set(totals) | set(balances)):
        total, balance = totals.get(key, 0), balances.get(key)
        if balance != total and not (balance is None and total == 0):
            out.append({"store": key[0], "item": key[1], "balance": balance, "ledger": total})
    return out


def low_count(user: Any) -> int:
    return low_levels(user).count()
