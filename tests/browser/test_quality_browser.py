"""A mask line's batch on a phone (375 px): the unit's contact registers a batch of 3,200,
reads the sampling plan the standard gives (code K, 125 masks, Ac 7 / Re 8 at AQL 2.5,
level II), records the sample with two masks whose ear loops were too weak, sees the
batch accepted, and records it counted, sealed and boxed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from fangkong.accounts.roles import Role
from fangkong.quality.models import Batch, BatchStatus
from fangkong.quality.services import product_create
from fangkong.units.models import UnitKind
from fangkong.units.services import unit_contact_set, unit_get_or_register
from tests.browser.conftest import screenshot
from tests.browser.test_self_report_browser import fits_the_phone, login
from tests.conftest import WANPING, World, make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_contact_samples_a_batch_and_boxes_it(
    world: World, live_server: Any, phone: Any
) -> None:
    factory = unit_get_or_register(
        area=world.areas[WANPING], name="宛平口罩车间", kind=UnitKind.ENTERPRISE
    )
    contact = make_account("mask_contact", Role.UNIT_CONTACT, WANPING)
    factory = unit_contact_set(actor=world.wanping_worker, unit=factory, username=contact.username)
    masks = product_create(
        actor=contact, unit=factory, name="一次性使用医用口罩", aql="2.5", level="II",
        loop_strength_min_n=Decimal("10"),
    )  # fmt: skip

    login(phone, live_server.url, "mask_contact")
    phone.goto(f"{live_server.url}/quality/")
    form = phone.locator("#batch-new")
    form.get_by_label("产品").select_option(str(masks.pk))
    form.get_by_label("批号").fill("20200304-01")
    form.get_by_label("批量").fill("3200")
    form.get_by_label("生产日期").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="登记").click()
    phone.locator("#inspect").wait_for()
    batch = Batch.objects.get(code="20200304-01")
    assert (batch.code_letter, batch.sample_size, batch.accept, batch.reject) == ("K", 125, 7, 8)
    assert "125" in phone.locator("dl").inner_text()

    inspect = phone.locator("#inspect")
    inspect.get_by_label("检验数量").fill("125")
    inspect.get_by_label("耳带拉力不足").fill("2")
    inspect.get_by_label("耳带最低拉力（N）").fill("8.5")
    inspect.get_by_role("button", name="判定").click()
    phone.locator("#pack").wait_for()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ACCEPTED
    assert fits_the_phone(phone)
    screenshot(phone, "quality-batch-375")

    pack = phone.locator("#pack")
    pack.get_by_label("清点数量").fill("3200")
    pack.get_by_label("每箱数量").fill("400")
    pack.get_by_role("button", name="登记").click()
    phone.locator("#packed").wait_for()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PACKED and batch.boxes == 8
    assert not phone.console_errors  # type: ignore[attr-defined]
