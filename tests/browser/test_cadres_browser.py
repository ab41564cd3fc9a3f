"""A sent-down cadre's morning on a phone (375 px): 王颖 opens her 工作台, taps "今天还没签到",
takes her temperature and signs in; the item is gone. A cadre with a fever gets no sign-in
button and shows on the community's 工作台 in red."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fangkong.accounts.roles import Role
from fangkong.cadres import services
from fangkong.cadres.models import HealthCheck, SignIn
from fangkong.policy.services import policy_seed_2020
from tests.browser.conftest import screenshot
from tests.browser.test_self_report_browser import fits_the_phone, login
from tests.conftest import ZHENGUOSI, World, make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wang_ying_checks_her_temperature_and_signs_in(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()
    officer = world.district_officer
    organ = services.organ_create(actor=officer, name="丰台区侨联")
    account = make_account("wang_ying", Role.CADRE, ZHENGUOSI)
    started = timezone.localdate() - dt.timedelta(days=5)
    zhenguosi = world.areas[ZHENGUOSI]
    wang = services.cadre_register(
        actor=officer, organ=organ, name="王颖", area=zhenguosi, starts_on=started,
        distance_km="10", account=account,
    )  # fmt: skip
    other = services.cadre_register(
        actor=officer, organ=organ, name="李刚", area=zhenguosi, starts_on=started
    )

    login(phone, live_server.url, "wang_ying")
    phone.get_by_text("今天还没签到").click()
    me = phone.locator("#me")
    me.get_by_label("体温（°C）").fill("36.6")
    me.locator("[data-action=health]").click()
    phone.locator("#me [data-action=sign-in]").click()
    phone.wait_for_load_state()
    assert SignIn.objects.filter(cadre=wang).exists()
    assert "体温 36.6°C 正常" in phone.locator("#me").inner_text()  # as typed, not 36.6000…
    assert fits_the_phone(phone)
    screenshot(phone, "cadre-sign-in-375")
    phone.goto(f"{live_server.url}/")
    assert phone.get_by_text("今天还没签到").count() == 0

    # The community worker checks 李刚, who has a fever: no sign-in, red on the 工作台.
    desk = phone.context.browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = desk.new_page()
    login(page, live_server.url, "zhenguosi_worker")
    page.goto(f"{live_server.url}/cadres/")
    row = page.locator(f"[data-cadre='{other.pk}']")
    row.get_by_label("体温（°C）").fill("37.8")
    row.locator("[data-action=health]").click()
    page.wait_for_load_state()
    assert HealthCheck.objects.get(cadre=other).fit is False
    assert page.locator(f"[data-cadre='{other.pk}'] [data-action=sign-in]").count() == 0
    assert page.locator(f"[data-cadre='{other.pk}'][data-unwell]").count() == 1
    page.goto(f"{live_server.url}/")
    assert page.locator(".list-group-item-danger", has_text="不能上岗").count() == 1
    assert fits_the_phone(page)
    assert not phone.console_errors  # type: ignore[attr-defined]
    desk.close()
