"""Rounds and supplies on a 375 px phone: a community worker follows the overdue round from
the 工作台 and marks it done with one tap; a worker follows low stock from the 工作台 to the
store and books the masks that came in, and the warning goes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fangkong.rounds.models import Record
from fangkong.rounds.services import place_create, plan_create, record_round
from fangkong.supplies.models import Item, StockLevel
from fangkong.supplies.services import items_standard, minimum_set, receipt_record, store_create
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING, ZHENGUOSI, World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_flushable"),
]


def test_the_worker_marks_the_overdue_round_done_from_the_workbench(
    world: World, live_server: Any, phone: Any
) -> None:
    worker = world.zhenguosi_worker
    place = place_create(
        actor=worker, area=world.areas[ZHENGUOSI], kind="lift", building="3号楼", name="电梯"
    )
    today = timezone.localdate()
    plan = plan_create(
        actor=worker,
        place=place,
        kind="patrol",
        every_hours=2,
        active_from=today - dt.timedelta(days=1),
    )
    record_round(actor=worker, plan=plan, done_at=timezone.now() - dt.timedelta(hours=3))

    login(phone, live_server.url, "zhenguosi_worker")
    item = phone.locator("[data-work-item]", has_text="巡查消杀逾期")
    assert "1" in item.inner_text()
    item.click()
    row = phone.locator(f"[data-plan='{plan.pk}'][data-overdue]")
    assert "3号楼" in row.inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "rounds-overdue-375")
    row.get_by_label("备注").fill("电梯按钮已擦")
    done = row.get_by_role("button", name="完成")
    assert done.bounding_box()["height"] >= 38
    done.click()
    phone.wait_for_load_state()
    assert phone.locator(f"[data-plan='{plan.pk}'][data-overdue]").count() == 0
    assert Record.objects.filter(plan=plan, note="电梯按钮已擦", done_by=worker).exists()
    phone.goto(f"{live_server.url}/")
    assert phone.locator("[data-work-item]", has_text="巡查消杀逾期").count() == 0


def test_the_worker_books_masks_in_and_the_low_stock_warning_goes(
    world: World, live_server: Any, phone: Any
) -> None:
    items_standard()
    worker = world.wanping_worker
    store = store_create(actor=worker, area=world.areas[WANPING])
    masks = Item.objects.get(name="口罩")
    receipt_record(actor=worker, store=store, item=masks, quantity=20, source="street")
    minimum_set(actor=worker, store=store, item=masks, minimum=100)

    login(phone, live_server.url, "wanping_worker")
    item = phone.locator("[data-work-item]", has_text="防护物资低于最低库存")
    assert "1" in item.inner_text()
    item.click()
    phone.locator(f"[data-store='{store.pk}'] a").first.click()
    assert phone.locator("[data-low]").count() == 1
    phone.get_by_role("button", name="入库").click()
    form = phone.locator("#form-receipt")
    form.get_by_label("物资").select_option(value=str(masks.pk))
    form.get_by_label("数量").fill("500")
    assert fits_the_phone(phone)
    screenshot(phone, "supplies-receipt-375")
    form.get_by_role("button", name="登记").click()
    phone.wait_for_load_state()
    assert phone.locator("[data-low]").count() == 0
    assert StockLevel.objects.get(store=store, item=masks).balance == 520
    phone.goto(f"{live_server.url}/")
    assert phone.locator("[data-work-item]", has_text="防护物资低于最低库存").count() == 0
