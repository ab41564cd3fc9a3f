"""我需要帮助 on a phone (375 px): a resident under observation at 镇国寺 asks for medicine
on the self-report page; 王颖 (a cadre there) sees it on her 工作台, takes it and marks it
done; the resident's page shows 已完成."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fangkong.accounts.roles import Role
from fangkong.arrivals.health.services import self_report_token
from fangkong.arrivals.models import ObservationMode
from fangkong.arrivals.observation.services import observation_start
from fangkong.care.models import CareRequest
from fangkong.policy.services import policy_seed_2020
from tests.browser.conftest import screenshot
from tests.browser.test_self_report_browser import fits_the_phone, login
from tests.conftest import ZHENGUOSI, World, make_account
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_asks_for_medicine_and_wang_ying_brings_it(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()
    make_account("wang_ying", Role.CADRE, ZHENGUOSI)
    zhenguosi = world.areas[ZHENGUOSI]
    person = make_person(world.zhenguosi_worker, zhenguosi, "刘阿姨", building="3号楼", room="201")
    observation = observation_start(
        actor=world.zhenguosi_worker,
        person=person,
        area=zhenguosi,
        mode=ObservationMode.HOME,
        arrived_on=timezone.localdate() - dt.timedelta(days=3),
    )
    link = f"{live_server.url}/r/report/{self_report_token(observation=observation)}/"

    phone.goto(link)
    phone.locator("#help").scroll_into_view_if_needed()
    phone.get_by_text("买药", exact=True).click()
    phone.get_by_label("具体需要什么", exact=False).fill("布洛芬")
    phone.get_by_role("button", name="发送求助").click()
    phone.locator("#help-sent").wait_for()
    assert phone.locator("#my-requests .status").inner_text() == "新"
    assert fits_the_phone(phone)
    screenshot(phone, "care-help-375")
    assert CareRequest.objects.get().area == zhenguosi

    staff = phone.context.browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN"
    )
    desk = staff.new_page()
    login(desk, live_server.url, "wang_ying")
    desk.get_by_text("隔离家庭新求助待接单").click()
    desk.locator("[data-action=take]").click()
    desk.get_by_text("已接单").first.wait_for()
    desk.goto(f"{live_server.url}/care/requests/?state=mine")
    assert fits_the_phone(desk)
    screenshot(desk, "care-requests-375")
    desk.locator("[data-action=done]").click()
    desk.locator(".alert-success").wait_for()
    staff.close()

    phone.goto(link)
    assert phone.locator("#my-requests .status").inner_text() == "已完成"
    assert phone.console_errors == []


def test_a_household_of_two_on_the_call_list_fits_the_phone_and_takes_one_call(
    world: World, live_server: Any, phone: Any
) -> None:
    from fangkong.care.models import CareCall
    from fangkong.registry.people.services import address_get_or_create

    policy_seed_2020()
    make_account("wang_ying", Role.CADRE, ZHENGUOSI)
    zhenguosi = world.areas[ZHENGUOSI]
    address = address_get_or_create(area=zhenguosi, building="5号楼", room="201")
    couple = [
        observation_start(
            actor=world.zhenguosi_worker,
            person=make_person(
                world.zhenguosi_worker, zhenguosi, name, building="5号楼", room="201"
            ),
            area=zhenguosi,
            mode=ObservationMode.HOME,
            arrived_on=timezone.localdate() - dt.timedelta(days=3),
            address=address,
        )
        for name in ("马大爷", "马大妈")
    ]
    login(phone, live_server.url, "wang_ying")
    phone.goto(f"{live_server.url}/care/")
    line = phone.locator(f'[data-household="a{address.pk}"]')
    assert line.locator("[data-member]").count() == 2
    assert fits_the_phone(phone)
    screenshot(phone, "care-calls-household-375")
    line.locator('select[name="called"]').select_option(str(couple[1].pk))
    line.locator('select[name="outcome"]').select_option("well")
    line.get_by_role("button", name="记录").click()
    phone.locator(".alert-success").wait_for()
    assert CareCall.objects.get().observation_id == couple[1].pk
    assert phone.locator(f'[data-household="a{address.pk}"][data-outcome="well"]').count() == 1
    assert phone.console_errors == []
