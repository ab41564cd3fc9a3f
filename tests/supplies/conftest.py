from __future__ import annotations

from dataclasses import dataclass

import pytest

from fangkong.duty.models import Post
from fangkong.supplies.models import Item, Store
from fangkong.supplies.services import items_standard, store_create
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World


@dataclass
class Stock:
    wanping: Store
    post: Store
    zhenguosi: Store
    masks: Item
    gloves: Item
    suits: Item
    gate_post: Post


def standard_items() -> None:
    """The items the data migration adds. A transactional test elsewhere ends with a flush
    that empties every table, these rows included: put them back when missing."""
    items_standard()


@pytest.fixture
def stock(world: World) -> Stock:
    standard_items()
    worker = world.wanping_worker
    gate_post = Post.objects.create(area=world.areas[WANPING_ZONE], name="城内街东门岗")
    return Stock(
        wanping=store_create(actor=worker, area=world.areas[WANPING]),
        post=store_create(actor=worker, post=gate_post),
        zhenguosi=store_create(actor=world.zhenguosi_worker, area=world.areas[ZHENGUOSI]),
        masks=Item.objects.get(name="口罩"),
        gloves=Item.objects.get(name="一次性手套"),
        suits=Item.objects.get(name="防护服"),
        gate_post=gate_post,
    )
