"""The ledger: stock never negative, every movement a row, the balance rows equal to the
sum of the ledger, corrections by reversing entries, counts as adjustments."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fangkong.core.errors import Conflict
from fangkong.supplies.models import Movement, MovementKind, StockLevel
from fangkong.supplies.selectors import ledger_mismatches
from fangkong.supplies.services import (
    count_record,
    handout_record,
    minimum_set,
    movement_reverse,
    receipt_record,
    transfer_record,
)
from tests.conftest import World
from tests.factories import make_person
from tests.supplies.conftest import Stock


def _balance(store: object, item: object) -> int:
    return StockLevel.objects.get(store=store, item=item).balance


def _receive(world: World, stock: Stock, quantity: int = 100) -> Movement:
    return receipt_record(
        actor=world.wanping_worker,
        store=stock.wanping,
        item=stock.masks,
        quantity=quantity,
        source="street",
    )


def test_a_hand_out_of_more_than_the_stock_is_refused_and_writes_nothing(
    world: World, stock: Stock
) -> None:
    _receive(world, stock, 30)
    with pytest.raises(Conflict) as refused:
        handout_record(
            actor=world.wanping_worker,
            store=stock.wanping,
            item=stock.masks,
            quantity=31,
            to_post=stock.gate_post,
        )
    assert refused.value.field == "quantity" and refused.value.extra == {"available": 30}
    assert _balance(stock.wanping, stock.masks) == 30
    assert Movement.objects.filter(kind=MovementKind.HANDOUT).count() == 0
    # The last box can go, and then nothing more.
    handout_record(
        actor=world.wanping_worker,
        store=stock.wanping,
        item=stock.masks,
        quantity=30,
        to_post=stock.gate_post,
    )
    assert _balance(stock.wanping, stock.masks) == 0
    with pytest.raises(Conflict):
        transfer_record(
            actor=world.wanping_worker,
            store=stock.wanping,
            to_store=stock.post,
            item=stock.masks,
            quantity=1,
        )


def test_the_check_constraint_is_the_last_guard(world: World, stock: Stock) -> None:
    _receive(world, stock, 5)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(store=stock.wanping).update(balance=-1)


def test_the_ledger_adds_up_after_a_mix_of_movements(world: World, stock: Stock) -> None:
    worker = world.wanping_worker
    person = make_person(worker, world.areas["110106014001Z1"], "李志愿")
    _receive(world, stock, 500)
    receipt_record(
        actor=worker,
        store=stock.wanping,
        item=stock.gloves,
        quantity=200,
        source="donation",
        donor="中国盲文出版社",
    )
    transfer_record(
        actor=worker, store=stock.wanping, to_store=stock.post, item=stock.masks, quantity=120
    )
    handout_record(
        actor=worker, store=stock.post, item=stock.masks, quantity=48, to_post=stock.gate_post
    )
    handout_record(
        actor=worker, store=stock.wanping, item=stock.gloves, quantity=10, to_person=person
    )
    handout_record(
        actor=worker, store=stock.wanping, item=stock.gloves, quantity=5, to_account=worker
    )
    count_record(actor=worker, store=stock.post, item=stock.masks, counted=70)
    wrong = handout_record(
        actor=worker, store=stock.wanping, item=stock.masks, quantity=30, to_post=stock.gate_post
    )
    movement_reverse(actor=worker, movement=wrong, note="登记错了")
    assert ledger_mismatches() == []
    assert _balance(stock.wanping, stock.masks) == 380
    assert _balance(stock.post, stock.masks) == 70
    assert _balance(stock.wanping, stock.gloves) == 185
    # A balance row out of line with the ledger is found.
    StockLevel.objects.filter(store=stock.post, item=stock.masks).update(balance=71)
    assert ledger_mismatches() == [
        {"store": stock.post.pk, "item": stock.masks.pk, "balance": 71, "ledger": 70}
    ]


def test_a_correction_is_a_reversing_entry_and_happens_once(world: World, stock: Stock) -> None:
    worker = world.wanping_worker
    _receive(world, stock, 100)
    out = transfer_record(
        actor=worker, store=stock.wanping, to_store=stock.post, item=stock.masks, quantity=40
    )
    reversal = movement_reverse(actor=worker, movement=out, note="调错了物资库")
    assert reversal.kind == MovementKind.REVERSAL and reversal.reverses_id == out.pk
    # Both legs undone, the originals untouched.
    assert Movement.objects.filter(kind=MovementKind.REVERSAL).count() == 2
    assert Movement.objects.get(pk=out.pk).quantity == -40
    assert _balance(stock.wanping, stock.masks) == 100
    assert _balance(stock.post, stock.masks) == 0
    with pytest.raises(Conflict) as twice:
        movement_reverse(actor=worker, movement=out, note="再冲一次")
    assert twice.value.code == "reversed"
    with pytest.raises(Conflict):
        movement_reverse(actor=worker, movement=reversal, note="冲销冲销")
    with pytest.raises(ValidationError) as no_reason:
        movement_reverse(actor=worker, movement=Movement.objects.earliest("pk"), note=" ")
    assert "note" in no_reason.value.message_dict
    # A receipt whose stock has gone cannot be reversed into negative stock.
    handout_record(
        actor=worker, store=stock.wanping, item=stock.masks, quantity=90, to_post=stock.gate_post
    )
    with pytest.raises(Conflict) as gone:
        movement_reverse(actor=worker, movement=Movement.objects.earliest("pk"), note="退货")
    assert gone.value.field == "quantity"
    assert ledger_mismatches() == []


def test_a_stock_count_records_the_difference(world: World, stock: Stock) -> None:
    worker = world.wanping_worker
    _receive(world, stock, 100)
    short = count_record(actor=worker, store=stock.wanping, item=stock.masks, counted=93)
    assert (short.kind, short.counted, short.quantity) == (MovementKind.COUNT, 93, -7)
    over = count_record(actor=worker, store=stock.wanping, item=stock.masks, counted=95)
    assert over.quantity == 2
    same = count_record(actor=worker, store=stock.wanping, item=stock.masks, counted=95)
    assert same.quantity == 0
    # An item never received, counted: the balance row starts there.
    found = count_record(actor=worker, store=stock.post, item=stock.suits, counted=3)
    assert found.quantity == 3 and _balance(stock.post, stock.suits) == 3
    assert _balance(stock.wanping, stock.masks) == 95
    assert ledger_mismatches() == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda w, s: _receive_q(w, s, 0), "quantity"),
        (lambda w, s: _receive_q(w, s, 2.5), "quantity"),
        (lambda w, s: _receive_q(w, s, "10"), "quantity"),
        (lambda w, s: _receive_q(w, s, 10**7), "quantity"),
        (
            lambda w, s: receipt_record(
                actor=w, store=s.wanping, item=s.masks, quantity=1, source="gift"
            ),
            "source",
        ),
        (
            lambda w, s: receipt_record(
                actor=w, store=s.wanping, item=s.masks, quantity=1, source="donation"
            ),
            "donor",
        ),
        (
            lambda w, s: handout_record(actor=w, store=s.wanping, item=s.masks, quantity=1),
            "to_post",
        ),
        (
            lambda w, s: transfer_record(
                actor=w, store=s.wanping, to_store=s.wanping, item=s.masks, quantity=1
            ),
            "to_store",
        ),
        (lambda w, s: count_record(actor=w, store=s.wanping, item=s.masks, counted=-1), "counted"),
        (lambda w, s: minimum_set(actor=w, store=s.wanping, item=s.masks, minimum=-5), "minimum"),
    ],
)
def test_bad_input_names_its_field(world: World, stock: Stock, call: object, field: str) -> None:
    with pytest.raises(ValidationError) as bad:
        call(world.wanping_worker, stock)  # type: ignore[operator]
    assert field in bad.value.message_dict
    assert Movement.objects.count() == 0


def _receive_q(worker: object, stock: Stock, quantity: object) -> Movement:
    return receipt_record(
        actor=worker,
        store=stock.wanping,
        item=stock.masks,
        quantity=quantity,  # type: ignore[arg-type]
        source="street",
    )


def test_a_worker_never_writes_into_another_communitys_store(world: World, stock: Stock) -> None:
    other = world.zhenguosi_worker
    with pytest.raises(ValidationError) as refused:
        receipt_record(
            actor=other, store=stock.wanping, item=stock.masks, quantity=5, source="street"
        )
    assert "store" in refused.value.message_dict
    receipt_record(
        actor=other, store=stock.zhenguosi, item=stock.masks, quantity=5, source="street"
    )
    with pytest.raises(ValidationError) as across:
        transfer_record(
            actor=other, store=stock.zhenguosi, to_store=stock.post, item=stock.masks, quantity=1
        )
    assert "to_store" in across.value.message_dict
    with pytest.raises(ValidationError) as post:
        handout_record(
            actor=other,
            store=stock.zhenguosi,
            item=stock.masks,
            quantity=1,
            to_post=stock.gate_post,
        )
    assert "to_post" in post.value.message_dict
    assert _balance(stock.zhenguosi, stock.masks) == 5
