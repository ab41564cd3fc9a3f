"""The only writers of supplies: stores, receipts, hand-outs, transfers, stock counts,
reversing entries and low-stock lines. Each movement is one ledger row and one change of
its balance row in the same transaction; the balance never goes below zero (a conditional
UPDATE, then the CHECK constraint). A refusal for want of stock is a 409 naming
`quantity`, with the stock `available`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import Conflict, invalid
from fangkong.core.scoping import ensure_visible
from fangkong.duty.models import Post
from fangkong.registry.models import Person
from fangkong.supplies.models import (
    STANDARD_ITEMS,
    Item,
    Movement,
    MovementKind,
    ReceiptSource,
    StockLevel,
    Store,
)

MAX_QUANTITY = 1_000_000


def _quantity(value: Any, field: str = "quantity", *, zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, _("数量应为整数"), "invalid")
    if value < (0 if zero else 1) or value > MAX_QUANTITY:
        raise invalid(
            field,
            _("数量应在 %(low)s 到 %(high)s 之间")
            % {"low": 0 if zero else 1, "high": MAX_QUANTITY},
            "out_of_range",
        )
    return int(value)


def _item(item: Item) -> Item:
    if not item.active:
        raise invalid("item", _("“%(item)s”已停用") % {"item": item.name}, "inactive")
    return item


def _level(store: Store, item: Item) -> StockLevel:
    """The balance row, created at 0 the first time (two first movements at once: one
    creates it, the other finds it)."""
    level = StockLevel.objects.filter(store=store, item=item).first()
    if level is not None:
        return level
    try:
        with transaction.atomic():
            return StockLevel.objects.create(store=store, item=item)
    except IntegrityError:
        return StockLevel.objects.get(store=store, item=item)


def _apply(store: Store, item: Item, delta: int) -> None:
    """Change the balance by `delta`, refusing to go below zero."""
    level = _level(store, item)
    rows = StockLevel.objects.filter(pk=level.pk, balance__gte=-delta).update(
        balance=F("balance") + delta
    )
    if rows == 0:
        available = StockLevel.objects.get(pk=level.pk).balance
        raise Conflict(
            "quantity",
            _("“%(store)s”的%(item)s只有 %(available)s %(unit)s，不够 %(quantity)s")
            % {
                "store": store.name,
                "item": item.name,
                "available": available,
                "unit": item.unit,
                "quantity": -delta,
            },
            code="insufficient_stock",
            available=available,
        )


def _move(
    *,
    actor: Any,
    store: Store,
    item: Item,
    kind: str,
    quantity: int,
    at: dt.datetime | None = None,
    **extra: Any,
) -> Movement:
    _apply(store, item, quantity)
    return Movement.objects.create(
        store=store,
        item=item,
        kind=kind,
        quantity=quantity,
        by=actor,
        at=at or timezone.now(),
        **extra,
    )


def _audit(actor: Any, movement: Movement) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=movement,
        area=movement.store.area,
        detail=f"{movement.kind} {movement.item.name} {movement.quantity:+d}",
    )


@transaction.atomic
def items_standard() -> list[Item]:
    """The usual items, made where missing (idempotent)."""
    return [
        Item.objects.get_or_create(name=name, defaults={"unit": unit, "order": order})[0]
        for name, unit, order in STANDARD_ITEMS
    ]


@transaction.atomic
def item_create(*, actor: Any, name: str, unit: str) -> Item:
    """A new kind of supply in the district's list (电子体温枪, 护目镜 …)."""
    name = " ".join((name or "").split())
    unit = (unit or "").strip()
    if not name:
        raise invalid("name", _("请填写物资名称"), "required")
    if len(name) > 40:
        raise invalid("name", _("物资名称最多 40 个字"), "max_length")
    if not unit:
        raise invalid("unit", _("请填写计量单位（片、盒、瓶 …）"), "required")
    if len(unit) > 10:
        raise invalid("unit", _("计量单位最多 10 个字"), "max_length")
    if Item.objects.filter(name=name).exists():
        raise Conflict("name", _("已有物资“%(name)s”") % {"name": name}, code="duplicate")
    try:
        with transaction.atomic():
            item = Item.objects.create(name=name, unit=unit)
    except IntegrityError:
        raise Conflict("name", _("已有物资“%(name)s”") % {"name": name}, code="duplicate") from None
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=item, detail=f"物资品类：新增 {name}")
    return item


@transaction.atomic
def item_set_active(*, actor: Any, item: Item, active: bool) -> Item:
    """Stop (or resume) offering an item in the forms; its stock and ledger stay."""
    if item.active != active:
        item.active = active
        item.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=item,
            detail=f"物资品类：{'启用' if active else '停用'} {item.name}",
        )
    return item


def store_create(*, actor: Any, area: Area | None = None, post: Post | None = None) -> Store:
    """The store of a community / zone (`area`) or of a duty post (`post`); an existing
    one is returned as it is."""
    if (area is None) == (post is None):
        raise invalid("post", _("请选择社区/片区或值守点（二选一）"), "required")
    if post is not None:
        ensure_visible(post, actor, field="post")
        store, created = Store.objects.get_or_create(
            post=post, defaults={"area": post.area, "name": post.name}
        )
    else:
        assert area is not None
        ensure_visible(area, actor, field="area")
        if area.kind not in LIVING_KINDS:
            raise invalid("area", _("物资库设在社区、村或片区"), "invalid")
        found = Store.objects.filter(area=area, post__isnull=True).first()
        created = found is None
        store = found or Store.objects.create(
            area=area, name=_("%(area)s物资库") % {"area": area.name}
        )
    if created:
        audit_record(actor=actor, action=AuditAction.CHANGE, obj=store, detail="store created")
    return store


@transaction.atomic
def receipt_record(
    *,
    actor: Any,
    store: Store,
    item: Item,
    quantity: int,
    source: str,
    donor: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Movement:
    """Stock received into a store: from the street, a purchase or a donor."""
    ensure_visible(store, actor, field="store")
    if source not in ReceiptSource.values:
        raise invalid("source", _("来源应为街道下发、采购或捐赠"), "invalid_choice")
    if source == ReceiptSource.DONATION and not donor.strip():
        raise invalid("donor", _("捐赠请写明捐赠方"), "required")
    movement = _move(
        actor=actor,
        store=store,
        item=_item(item),
        kind=MovementKind.RECEIPT,
        quantity=_quantity(quantity),
        source=source,
        donor=donor.strip(),
        note=note,
        at=at,
    )
    _audit(actor, movement)
    return movement


@transaction.atomic
def handout_record(
    *,
    actor: Any,
    store: Store,
    item: Item,
    quantity: int,
    to_post: Post | None = None,
    to_person: Person | None = None,
    to_account: Any = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Movement:
    """Stock handed out of a store, to a post, a person or a cadre (exactly one)."""
    ensure_visible(store, actor, field="store")
    recipients = [r for r in (to_post, to_person, to_account) if r is not None]
    if len(recipients) != 1:
        raise invalid("to_post", _("请选择一个领用方：值守点、人员或干部"), "required")
    if to_post is not None:
        ensure_visible(to_post, actor, field="to_post")
    if to_person is not None:
        ensure_visible(to_person, actor, field="to_person")
    if to_account is not None:
        ensure_visible(to_account, actor, field="to_account")
    movement = _move(
        actor=actor,
        store=store,
        item=_item(item),
        kind=MovementKind.HANDOUT,
        quantity=-_quantity(quantity),
        to_post=to_post,
        to_person=to_person,
        to_account=to_account,
        note=note,
        at=at,
    )
    _audit(actor, movement)
    return movement


@transaction.atomic
def transfer_record(
    *,
    actor: Any,
    store: Store,
    to_store: Store,
    item: Item,
    quantity: int,
    note: str = "",
    at: dt.datetime | None = None,
) -> Movement:
    """Stock moved from one store to another: two rows, the in-leg paired with the out."""
    ensure_visible(store, actor, field="store")
    ensure_visible(to_store, actor, field="to_store")
    if store.pk == to_store.pk:
        raise invalid("to_store", _("调入的物资库不能是同一个"), "same_store")
    quantity = _quantity(quantity)
    out = _move(
        actor=actor,
        store=store,
        item=_item(item),
        kind=MovementKind.TRANSFER_OUT,
        quantity=-quantity,
        other_store=to_store,
        note=note,
        at=at,
    )
    _move(
        actor=actor,
        store=to_store,
        item=item,
        kind=MovementKind.TRANSFER_IN,
        quantity=quantity,
        other_store=store,
        pair=out,
        note=note,
        at=at,
    )
    _audit(actor, out)
    return out


@transaction.atomic
def count_record(*, actor: Any, store: Store, item: Item, counted: int, note: str = "") -> Movement:
    """A stock count (盘点): the counted quantity, and the difference as an adjustment."""
    ensure_visible(store, actor, field="store")
    counted = _quantity(counted, "counted", zero=True)
    level = _level(store, item)
    level = StockLevel.objects.select_for_update().get(pk=level.pk)
    movement = _move(
        actor=actor,
        store=store,
        item=item,
        kind=MovementKind.COUNT,
        quantity=counted - level.balance,
        counted=counted,
        note=note,
    )
    _audit(actor, movement)
    return movement


@transaction.atomic
def movement_reverse(*, actor: Any, movement: Movement, note: str) -> Movement:
    """Undo a movement by a reversing entry (both legs of a transfer). A movement is
    reversed once; a reversal is not reversed (record the movement again)."""
    ensure_visible(movement.store, actor)
    if not note.strip():
        raise invalid("note", _("请写明冲销原因"), "required")
    movement = Movement.objects.select_for_update().get(pk=movement.pk)
    if movement.kind == MovementKind.REVERSAL:
        raise Conflict("movement", _("冲销记录不能再冲销"), code="is_reversal")
    if movement.kind == MovementKind.TRANSFER_IN:
        movement = Movement.objects.select_for_update().get(pk=movement.pair_id or 0)
    if Movement.objects.filter(reverses=movement).exists():
        raise Conflict("movement", _("这条记录已经冲销过了"), code="reversed")
    legs = [movement, *Movement.objects.filter(pair=movement)]
    first: Movement | None = None
    for leg in legs:
        reversal = _move(
            actor=actor,
            store=leg.store,
            item=leg.item,
            kind=MovementKind.REVERSAL,
            quantity=-leg.quantity,
            reverses=leg,
            other_store=leg.other_store,
            note=note.strip(),
        )
        first = first or reversal
    assert first is not None
    _audit(actor, first)
    return first


@transaction.atomic
def minimum_set(*, actor: Any, store: Store, item: Item, minimum: int) -> StockLevel:
    """The low-stock line of an item in a store."""
    ensure_visible(store, actor, field="store")
    minimum = _quantity(minimum, "minimum", zero=True)
    level = _level(store, item)
    StockLevel.objects.filter(pk=level.pk).update(minimum=minimum)
    level.refresh_from_db()
    return level
