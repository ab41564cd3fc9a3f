"""Two hand-outs of the last stock at once, on PostgreSQL (SQLite serialises writers, so
there is no race): one is recorded, the other refused; stock never goes below zero."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from fangkong.core.errors import Conflict
from fangkong.duty.models import Post
from fangkong.supplies.models import Item, Movement, MovementKind, StockLevel
from fangkong.supplies.selectors import ledger_mismatches
from fangkong.supplies.services import handout_record, receipt_record, store_create
from tests.conftest import WANPING, WANPING_ZONE, World
from tests.supplies.conftest import standard_items

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only(audit_flushable: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")


def test_two_concurrent_hand_outs_never_take_stock_below_zero(world: World) -> None:
    worker = world.wanping_worker
    store = store_create(actor=worker, area=world.areas[WANPING])
    post = Post.objects.create(area=world.areas[WANPING_ZONE], name="城内街东门岗")
    standard_items()
    masks = Item.objects.get(name="口罩")
    receipt_record(actor=worker, store=store, item=masks, quantity=60, source="street")
    for _round in range(5):
        barrier = threading.Barrier(2)
        results: list[Any] = []

        def hand_out(actor: Any) -> None:
            try:
                barrier.wait()
                results.append(
                    handout_record(actor=actor, store=store, item=masks, quantity=40, to_post=post)
                )
            except Conflict as exc:
                results.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=hand_out, args=(worker,)),
            threading.Thread(target=hand_out, args=(world.wanping_worker,)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        level = StockLevel.objects.get(store=store, item=masks)
        assert level.balance >= 0
        assert sum(isinstance(r, Conflict) for r in results) >= 1
        receipt_record(actor=worker, store=store, item=masks, quantity=40, source="street")
        # Back to where the round started: 20 + 40 = 60.
        assert StockLevel.objects.get(store=store, item=masks).balance == 60
    assert Movement.objects.filter(kind=MovementKind.HANDOUT).count() == 5
    assert ledger_mismatches() == []
