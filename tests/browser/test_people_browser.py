from __future__ import annotations

from typing import Any

import pytest

from fangkong.audit.models import AuditAction, AuditEvent
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, WANPING, World
from tests.factories import make_person, valid_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{url}/")


def test_a_worker_registers_a_tenant_and_reveals_the_document(
    world: World, live_server: Any, phone: Any
) -> None:
    make_person(
        world.wanping_worker,
        world.areas[f"{WANPING}Z1"],
        "房东老王",
        building="城内街12号院",
        document_number=valid_id(900),
    )
    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/registry/people/new/")
    phone.get_by_label("姓名").fill("租户小李")
    phone.get_by_label("证件号码", exact=True).fill(valid_id(901))
    phone.get_by_label("电话").fill("13900009901")
    phone.get_by_label("社区 / 片区").select_option(label="城内街")
    phone.get_by_label("人员类别").select_option(label="流动人口")
    phone.get_by_label("楼栋 / 院").fill("城内街12号院")
    phone.get_by_label("房间").fill("西厢房")
    phone.get_by_label("居住类型").select_option(label="租住")
    phone.get_by_label("房东证件号码").fill(valid_id(900))
    screenshot(phone, "person-form-375")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_selector("text=已登记 租户小李")
    number = valid_id(901)
    assert phone.locator("#doc").inner_text() == number[:6] + "********" + number[-4:]
    assert phone.get_by_role("link", name="房东老王").is_visible()
    phone.get_by_role("button", name="显示完整证件号和电话（会留痕）").click()
    phone.wait_for_selector(f"text={number}")
    screenshot(phone, "person-detail-revealed-375")
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_RECORD, actor=world.wanping_worker
    ).exists()
    assert phone.console_errors == []


def test_a_bad_id_is_explained_on_the_form(world: World, live_server: Any, phone: Any) -> None:
    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/registry/people/new/")
    phone.get_by_label("姓名").fill("张三")
    phone.get_by_label("证件号码", exact=True).fill("11010619850302001")
    phone.get_by_label("社区 / 片区").select_option(label="宛平城社区")
    phone.get_by_role("button", name="保存").click()
    error = phone.locator('[data-error-for="document_number"]')
    assert "18 位" in error.inner_text()
    screenshot(phone, "person-form-error-375")
