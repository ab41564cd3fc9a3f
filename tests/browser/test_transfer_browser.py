"""A handover on a 375 px phone: 宛平城's worker asks for a resident of 镇国寺 by document
number; 镇国寺's worker sees the request on the 工作台 and agrees; the record moves."""

from __future__ import annotations

from typing import Any

import pytest

from fangkong.registry.models import Person, Transfer, TransferStatus
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING_ZONE, ZHENGUOSI, World
from tests.factories import make_person, valid_id

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_flushable"),
]


def test_a_resident_is_asked_for_and_handed_over(
    world: World, live_server: Any, phone: Any
) -> None:
    resident = make_person(
        world.zhenguosi_worker,
        world.areas[ZHENGUOSI],
        "镇国寺居民",
        building="3号楼",
        room="201",
        document_number=valid_id(930),
    )
    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/registry/transfers/new/")
    phone.get_by_label("证件号码").fill(valid_id(930))
    phone.get_by_label("转入社区 / 片区").select_option(value=WANPING_ZONE)
    phone.get_by_label("转入原因").fill("已搬到城内街租住")
    phone.get_by_label("楼栋/院").fill("城内街12号院")
    assert fits_the_phone(phone)
    screenshot(phone, "transfer-ask-375")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_load_state()
    transfer = Transfer.objects.get()
    assert transfer.status == TransferStatus.PENDING
    assert "镇国寺居民" not in phone.content()  # nothing of the person before the holder agrees

    phone.context.clear_cookies()
    login(phone, live_server.url, "zhenguosi_worker")
    item = phone.locator("[data-work-item]", has_text="待答复的人员转交")
    assert "1" in item.inner_text()
    item.click()
    assert "镇国寺居民" in phone.content()
    assert fits_the_phone(phone)
    screenshot(phone, "transfer-answer-375")
    phone.locator("[data-action='accept']").click()
    phone.wait_for_load_state()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert Person.objects.get(pk=resident.pk).area == world.areas[WANPING_ZONE]
    phone.goto(f"{live_server.url}/")
    assert phone.locator("[data-work-item]", has_text="待答复的人员转交").count() == 0
