"""The supplies pages in English: once the data (stores, items, units, posts, names) is
taken out, no Chinese is left in the page's own part."""

from __future__ import annotations

from fangkong.supplies.models import Item, Store
from fangkong.supplies.services import (
    count_record,
    handout_record,
    minimum_set,
    receipt_record,
    transfer_record,
)
from tests.conftest import World
from tests.english import chinese_left, english, world_data
from tests.supplies.conftest import Stock


def test_the_supplies_pages_are_english(world: World, stock: Stock) -> None:
    worker = world.wanping_worker
    receipt_record(
        actor=worker, store=stock.wanping, item=stock.masks, quantity=100, source="street"
    )
    receipt_record(
        actor=worker,
        store=stock.wanping,
        item=stock.gloves,
        quantity=50,
        source="donation",
        donor="Museum",
    )
    transfer_record(
        actor=worker, store=stock.wanping, to_store=stock.post, item=stock.masks, quantity=30
    )
    handout_record(
        actor=worker, store=stock.post, item=stock.masks, quantity=5, to_post=stock.gate_post
    )
    handout_record(
        actor=worker, store=stock.wanping, item=stock.gloves, quantity=5, to_account=worker
    )
    count_record(actor=worker, store=stock.wanping, item=stock.masks, counted=69)
    minimum_set(actor=worker, store=stock.wanping, item=stock.gloves, minimum=60)
    data = [*world_data(world), *(s.name for s in Store.objects.all()), stock.gate_post.name]
    data += [i.name for i in Item.objects.all()] + [i.unit for i in Item.objects.all()]
    data += [str(i) for i in Item.objects.all()]
    client = english(world, worker)
    pages = {
        "stock": "/supplies/",
        "low": "/supplies/?low=1",
        "store": f"/supplies/stores/{stock.wanping.pk}/",
        "post": f"/supplies/stores/{stock.post.pk}/",
    }
    left = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        left[name] = chinese_left(response.content.decode(), data)
    short = client.post(
        f"/supplies/stores/{stock.post.pk}/handout/",
        {"item": stock.masks.pk, "quantity": "500", "to_post": stock.gate_post.pk},
    )
    assert short.status_code == 400 and "not enough for 500" in short.content.decode()
    left["refused"] = chinese_left(short.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}
    answer = world.api(worker).post(
        "/api/v1/supplies/movements/",
        {
            "kind": "handout",
            "store": stock.post.pk,
            "item": stock.masks.pk,
            "quantity": 999,
            "to_post": stock.gate_post.pk,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "not enough" in answer.json()["errors"][0]["reason"]
