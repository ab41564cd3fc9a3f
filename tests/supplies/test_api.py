"""The supplies API: one POST per kind of movement, 409 naming `quantity` when the stock
is short, 400 naming the field on bad input, and every read cut to the caller's area."""

from __future__ import annotations

from typing import Any

from fangkong.supplies.models import Movement, StockLevel
from fangkong.supplies.selectors import ledger_mismatches
from tests.conftest import WANPING, WANPING_ZONE, World
from tests.factories import make_person
from tests.supplies.conftest import Stock

URL = "/api/v1/supplies/movements/"


def _post(world: World, body: dict[str, Any], user: Any = None) -> Any:
    return world.api(user or world.wanping_worker).post(URL, body, format="json")


def test_each_kind_of_movement_over_the_api(world: World, stock: Stock) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING_ZONE], "李志愿")
    base = {"store": stock.wanping.pk, "item": stock.masks.pk}
    made = _post(world, {**base, "kind": "receipt", "quantity": 300, "source": "street"})
    assert made.status_code == 201, made.json()
    assert made.json()["quantity"] == 300 and made.json()["kind"] == "receipt"
    moved = _post(world, {**base, "kind": "transfer", "quantity": 100, "to_store": stock.post.pk})
    assert moved.status_code == 201 and moved.json()["other_store"] == stock.post.pk
    for recipient in (
        {"to_post": stock.gate_post.pk},
        {"to_person": person.pk},
        {"to_account": "wanping_worker"},
    ):
        given = _post(world, {**base, "kind": "handout", "quantity": 10, **recipient})
        assert given.status_code == 201, given.json()
    counted = _post(world, {**base, "kind": "count", "counted": 165})
    assert counted.status_code == 201 and counted.json()["quantity"] == -5
    reversed_ = world.api(world.wanping_worker).post(
        f"{URL}{moved.json()['id']}/reverse/", {"note": "调错了"}, format="json"
    )
    assert reversed_.status_code == 201 and reversed_.json()["kind"] == "reversal"
    minimum = world.api(world.wanping_worker).post(
        "/api/v1/supplies/minimums/",
        {**base, "minimum": 500},
        format="json",
    )
    assert minimum.status_code == 200 and minimum.json()["low"] is True
    assert StockLevel.objects.get(store=stock.wanping, item=stock.masks).balance == 265
    assert ledger_mismatches() == []
    listed = world.api(world.wanping_worker).get(URL, {"store": stock.wanping.pk}).json()
    assert len(listed["results"]) == Movement.objects.filter(store=stock.wanping).count()


def test_more_than_the_stock_is_409_naming_quantity(world: World, stock: Stock) -> None:
    base = {"store": stock.wanping.pk, "item": stock.masks.pk}
    _post(world, {**base, "kind": "receipt", "quantity": 20, "source": "street"})
    short = _post(world, {**base, "kind": "handout", "quantity": 21, "to_post": stock.gate_post.pk})
    assert short.status_code == 409
    body = short.json()
    assert body["errors"][0]["field"] == "quantity"
    assert body["errors"][0]["code"] == "insufficient_stock" and body["available"] == 20
    assert Movement.objects.count() == 1


def test_bad_input_is_400_naming_the_field(world: World, stock: Stock) -> None:
    base = {"store": stock.wanping.pk, "item": stock.masks.pk}
    cases = [
        ({**base, "kind": "receipt", "quantity": 0, "source": "street"}, "quantity"),
        ({**base, "kind": "receipt", "quantity": "many", "source": "street"}, "quantity"),
        ({**base, "kind": "receipt", "source": "street"}, "quantity"),
        ({**base, "kind": "receipt", "quantity": 5}, "source"),
        ({**base, "kind": "receipt", "quantity": 5, "source": "donation"}, "donor"),
        ({**base, "kind": "lend", "quantity": 5}, "kind"),
        ({**base, "kind": "handout", "quantity": 5}, "to_post"),
        ({**base, "kind": "handout", "quantity": 5, "to_post": 999999}, "to_post"),
        ({**base, "kind": "transfer", "quantity": 5}, "to_store"),
        ({**base, "kind": "count"}, "counted"),
        ({**base, "item": 999999, "kind": "count", "counted": 1}, "item"),
        ({**base, "store": stock.zhenguosi.pk, "kind": "count", "counted": 1}, "store"),
    ]
    for body, field in cases:
        answer = _post(world, body)
        assert answer.status_code == 400, (body, answer.json())
        assert field in {e["field"] for e in answer.json()["errors"]}, (body, answer.json())
    assert Movement.objects.count() == 0
    stock_bad = world.api(world.wanping_worker).get("/api/v1/supplies/stock/", {"area": "999"})
    assert stock_bad.status_code == 400 and stock_bad.json()["errors"][0]["field"] == "area"


def test_stock_by_area_is_scoped(world: World, stock: Stock) -> None:
    for store, user in (
        (stock.wanping, world.wanping_worker),
        (stock.zhenguosi, world.zhenguosi_worker),
    ):
        _post(
            world,
            {
                "store": store.pk,
                "item": stock.masks.pk,
                "kind": "receipt",
                "quantity": 9,
                "source": "street",
            },
            user,
        )
    _post(
        world,
        {
            "store": stock.wanping.pk,
            "item": stock.masks.pk,
            "kind": "transfer",
            "quantity": 4,
            "to_store": stock.post.pk,
        },
    )

    def stores(user: Any, **params: str) -> set[int]:
        answer = world.api(user).get("/api/v1/supplies/stock/", params)
        assert answer.status_code == 200, answer.json()
        return {row["store"] for row in answer.json()["results"]}

    everything = {stock.wanping.pk, stock.post.pk, stock.zhenguosi.pk}
    assert stores(world.district_officer) == everything
    assert stores(world.district_officer, area=WANPING) == {stock.wanping.pk, stock.post.pk}
    assert stores(world.wanping_worker) == {stock.wanping.pk, stock.post.pk}
    assert stores(world.zhenguosi_worker) == {stock.zhenguosi.pk}
    # The guard of 城内街 sees its post's stock, not the community's.
    assert stores(world.guard) == {stock.post.pk}
    other = world.api(world.zhenguosi_worker).get("/api/v1/supplies/stock/", {"area": WANPING})
    assert other.status_code == 400 and other.json()["errors"][0]["field"] == "area"
    # Reading is not recording.
    for reader in (world.guard, world.wanping_officer):
        refused = _post(
            world,
            {"store": stock.post.pk, "item": stock.masks.pk, "kind": "count", "counted": 0},
            reader,
        )
        assert refused.status_code == 403
    hidden = world.api(world.zhenguosi_worker).post(
        f"{URL}{Movement.objects.earliest('pk').pk}/reverse/", {"note": "x"}, format="json"
    )
    assert hidden.status_code == 404


def test_stores_over_the_api(world: World, stock: Stock) -> None:
    api = world.api(world.wanping_worker)
    again = api.post("/api/v1/supplies/stores/", {"area": WANPING}, format="json")
    assert again.status_code == 201 and again.json()["id"] == stock.wanping.pk
    zone = api.post("/api/v1/supplies/stores/", {"area": WANPING_ZONE}, format="json")
    assert zone.status_code == 201 and zone.json()["area"] == WANPING_ZONE
    neither = api.post("/api/v1/supplies/stores/", {}, format="json")
    assert neither.status_code == 400 and neither.json()["errors"][0]["field"] == "post"
    listed = api.get("/api/v1/supplies/stores/").json()["results"]
    assert {s["id"] for s in listed} == {stock.wanping.pk, stock.post.pk, zone.json()["id"]}
    items = world.api(world.guard).get("/api/v1/supplies/items/").json()
    assert {"口罩", "消毒液", "额温枪"} <= {i["name"] for i in items}
