from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.core.identity import resident_id_check_digit
from fangkong.registry.models import Address, Person
from fangkong.registry.people.services import (
    address_get_or_create,
    person_register,
    residence_set,
)
from fangkong.registry.screening.services import round_create, visit_record
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, WANPING, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def resident(world: World, address: Address, name: str, serial: int) -> Person:
    first17 = f"11010619850315{serial:03d}"
    person = person_register(
        actor=world.wanping_worker,
        area=address.area,
        data={
            "name": name,
            "document_type": "resident_id",
            "document_number": first17 + resident_id_check_digit(first17),
            "phone": "13812345678",
        },
    )
    residence_set(person=person, address=address, kind="owner", since=dt.date(2019, 1, 1))
    return person


def test_a_worker_records_a_resident_not_back_and_sees_the_change(
    world: World, live_server: Any, phone: Any
) -> None:
    today = timezone.localdate()
    worker = world.wanping_worker
    address = address_get_or_create(
        area=Area.objects.get(code=f"{WANPING}Z1"), building="1号院", room="101"
    )
    wang = resident(world, address, "王建国", 1)
    li = resident(world, address, "李秀英", 2)
    earlier = round_create(
        actor=worker,
        area=Area.objects.get(code=WANPING),
        name="节前摸排",
        starts_on=today - dt.timedelta(days=40),
        ends_on=today - dt.timedelta(days=30),
    )
    visit_record(
        actor=worker,
        round=earlier,
        address=address,
        visited_on=today - dt.timedelta(days=35),
        findings=[(wang, "present"), (li, "present")],
    )
    round_create(
        actor=worker,
        area=Area.objects.get(code=WANPING),
        name="节后第一轮",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
    )

    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("用户名").fill("wanping_worker")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.goto(f"{live_server.url}/registry/rounds/")
    phone.get_by_role("link", name="节后第一轮").click()
    assert phone.locator('[data-stat="households"]').inner_text() == "1"
    phone.get_by_role("link", name="走访登记").click()

    phone.get_by_label("第一步：楼栋 / 院").select_option(label="城内街 · 1号院")
    phone.get_by_role("button", name="下一步").click()
    phone.get_by_label("第二步：单元 / 房间").select_option(label="101（2 人）")
    screenshot(phone, "screening-pick-375")
    phone.get_by_role("button", name="开始登记").click()

    card = phone.locator(f'[data-person="{li.pk}"]')
    card.get_by_label("未返京").check()
    card.get_by_label("所在地").fill("湖北省武汉市")
    phone.get_by_label("居家观察条件").fill("有独立房间和卫生间")
    assert phone.locator(f'[data-person="{wang.pk}"]').get_by_label("在家").is_checked()
    # Nothing on the page is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "screening-visit-375")
    phone.get_by_role("button", name="保存走访").click()
    assert phone.get_by_text("已保存走访：城内街 1号院 101").is_visible()

    phone.get_by_role("link", name="变化情况").click()
    section = phone.locator('[data-section="newly_not_back"]')
    assert section.get_by_text("李秀英").is_visible()
    assert "湖北省武汉市" in section.inner_text()
    assert "王建国" not in section.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "screening-changes-375")
    phone.get_by_role("link", name="进度").click()
    assert phone.locator('[data-stat="not_back"]').inner_text() == "1"
    screenshot(phone, "screening-round-375")
    assert phone.console_errors == []
