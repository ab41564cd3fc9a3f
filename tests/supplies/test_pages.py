"""The stock pages on a phone: my area's stores with low stock highlighted, a store's
ledger and forms; the 工作台 item leads there; the demo and the day's figures."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.duty.models import Post
from fangkong.site.workbench import work_items
from fangkong.supplies.demo import load_demo
from fangkong.supplies.figures import FIGURE_SET
from fangkong.supplies.models import Movement, MovementKind, StockLevel, Store
from fangkong.supplies.selectors import ledger_mismatches
from fangkong.supplies.services import handout_record, minimum_set, receipt_record
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World
from tests.supplies.conftest import Stock


def _low_suits(world: World, stock: Stock) -> None:
    worker = world.zhenguosi_worker
    receipt_record(
        actor=worker, store=stock.zhenguosi, item=stock.suits, quantity=10, source="street"
    )
    minimum_set(actor=worker, store=stock.zhenguosi, item=stock.suits, minimum=12)


def test_low_stock_on_the_workbench_leads_to_the_stock_page(world: World, stock: Stock) -> None:
    _low_suits(world, stock)
    items = {i.label: i for i in work_items(world.zhenguosi_worker, dt.date.today())}
    item = items["防护物资低于最低库存"]
    assert item.count == 1 and item.url == "/supplies/?low=1"
    page = world.client(world.zhenguosi_worker).get(item.url).content.decode()
    assert "防护服" in page and 'data-low="1"' in page
    assert f'href="/supplies/stores/{stock.zhenguosi.pk}/"' in page
    # 宛平城 has nothing low; the district sees 镇国寺's.
    assert "防护物资低于最低库存" not in {i.label for i in work_items(world.wanping_worker)}
    district = {i.label: i for i in work_items(world.district_officer)}
    assert district["防护物资低于最低库存"].count == 1


def test_recording_on_the_store_page(world: World, stock: Stock) -> None:
    client = world.client(world.wanping_worker)
    url = f"/supplies/stores/{stock.wanping.pk}/"
    page = client.get(url).content.decode()
    for kind in ("receipt", "handout", "transfer", "count"):
        assert f'action="{url}{kind}/"' in page
    assert f'action="{url}minimum/"' in page
    received = client.post(
        f"{url}receipt/", {"item": stock.masks.pk, "quantity": "50", "source": "street"}
    )
    assert received.status_code == 302
    too_many = client.post(
        f"{url}handout/",
        {"item": stock.masks.pk, "quantity": "51", "to_post": stock.gate_post.pk},
    )
    assert too_many.status_code == 400
    assert 'data-error-for="quantity"' in too_many.content.decode()
    assert "只有 50" in too_many.content.decode()
    bad = client.post(f"{url}handout/", {"item": stock.masks.pk, "quantity": "-3"})
    assert bad.status_code == 400 and 'data-error-for="quantity"' in bad.content.decode()
    given = client.post(
        f"{url}handout/",
        {"item": stock.masks.pk, "quantity": "20", "to_post": stock.gate_post.pk},
    )
    assert given.status_code == 302
    client.post(f"{url}minimum/", {"item": stock.masks.pk, "minimum": "40"})
    handout = Movement.objects.get(kind=MovementKind.HANDOUT)
    reversed_ = client.post(f"/supplies/movements/{handout.pk}/reverse/", {"note": "发错了"})
    assert reversed_.status_code == 302
    level = StockLevel.objects.get(store=stock.wanping, item=stock.masks)
    assert (level.balance, level.minimum) == (50, 40)
    ledger = client.get(url).content.decode()
    assert "冲销" in ledger and "已冲销" in ledger
    assert ledger_mismatches() == []


def test_pages_are_scoped_and_read_only_for_readers(world: World, stock: Stock) -> None:
    other = world.client(world.zhenguosi_worker)
    assert other.get(f"/supplies/stores/{stock.wanping.pk}/").status_code == 404
    posted = other.post(
        f"/supplies/stores/{stock.wanping.pk}/receipt/",
        {"item": stock.masks.pk, "quantity": "5", "source": "street"},
    )
    assert posted.status_code == 404
    guard = world.client(world.guard)
    stock_page = guard.get("/supplies/").content.decode()
    assert stock.post.name in stock_page and stock.wanping.name not in stock_page
    post_page = guard.get(f"/supplies/stores/{stock.post.pk}/").content.decode()
    assert 'action="' not in post_page.split("<main", 1)[1].split("</main>")[0]
    assert (
        guard.post(
            f"/supplies/stores/{stock.post.pk}/count/", {"item": stock.masks.pk, "counted": 0}
        ).status_code
        == 403
    )
    officer = world.client(world.wanping_officer).get("/supplies/")
    assert officer.status_code == 200 and stock.wanping.name in officer.content.decode()


def test_a_store_for_a_post_from_the_stock_page(world: World, stock: Stock) -> None:
    post = Post.objects.create(area=world.areas[WANPING_ZONE], name="城内街西门岗")
    made = world.client(world.wanping_worker).post("/supplies/stores/new/", {"post": post.pk})
    store = Store.objects.get(post=post)
    assert made.status_code == 302 and made["Location"] == f"/supplies/stores/{store.pk}/"
    assert store.area_id == post.area_id


def test_the_days_figures(world: World, stock: Stock) -> None:
    from fangkong.core.dates import day_bounds
    from fangkong.core.figures import Span

    _low_suits(world, stock)
    receipt_record(
        actor=world.wanping_worker, store=stock.post, item=stock.masks, quantity=9, source="street"
    )
    for _ in range(2):
        handout_record(
            actor=world.wanping_worker,
            store=stock.post,
            item=stock.masks,
            quantity=2,
            to_post=stock.gate_post,
        )
    today = timezone.localdate()
    counts = {(a, k): n for a, k, n in FIGURE_SET.count(Span(today, *day_bounds(today)))}
    assert counts[(world.areas[ZHENGUOSI].pk, "supplies_low")] == 1
    assert counts[(world.areas[WANPING_ZONE].pk, "supplies_handouts")] == 2
    assert (world.areas[WANPING].pk, "supplies_low") not in counts


def test_the_demo_stocks_both_communities_and_is_idempotent(world: World) -> None:
    from fangkong.accounts.demo import load_demo_accounts

    load_demo_accounts()
    Post.objects.create(area=world.areas[WANPING_ZONE], name="城内街东门志愿服务岗")
    first = load_demo()
    stores = Store.objects.count()
    moves = Movement.objects.count()
    assert stores == 3 and moves > 10
    assert load_demo() and (Store.objects.count(), Movement.objects.count()) == (stores, moves)
    low = [lv for lv in StockLevel.objects.select_related("item", "store") if lv.low]
    assert [(lv.store.area.code, lv.item.name) for lv in low] == [(ZHENGUOSI, "防护服")]
    assert Movement.objects.filter(kind=MovementKind.HANDOUT).exists()
    assert ledger_mismatches() == []
    assert "3 stores" in first


def test_the_demo_without_posts(world: World) -> None:
    from fangkong.accounts.demo import load_demo_accounts

    load_demo_accounts()
    load_demo()
    assert Store.objects.count() == 2
    assert Movement.objects.filter(kind=MovementKind.HANDOUT).count() == 4
