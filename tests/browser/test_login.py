from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_community_worker_logs_in_and_sees_the_chinese_home_page(
    world: World, live_server: Any, phone: Any
) -> None:
    phone.goto(f"{live_server.url}/")
    assert "/accounts/login/" in phone.url
    phone.get_by_label("用户名").fill("wanping_worker")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server.url}/")
    assert phone.locator("h1").first.inner_text().startswith("宛平城社区")
    assert phone.get_by_text("您负责的辖区及其下级。").is_visible()
    assert phone.locator('[data-stat="zones"]').inner_text() == "3"
    # The navigation collapses behind a button on a phone and opens with one tap.
    phone.get_by_role("button", name="菜单").click()
    assert phone.get_by_role("link", name="区域").is_visible()
    screenshot(phone, "home-community-worker-375")
    assert phone.console_errors == []


def test_a_wrong_password_shows_a_chinese_error(world: World, live_server: Any, phone: Any) -> None:
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("用户名").fill("wanping_worker")
    phone.get_by_label("密码").fill("not-the-password")
    phone.get_by_role("button", name="登录").click()
    assert phone.get_by_text("用户名或密码不正确。").is_visible()
    screenshot(phone, "login-error-375")


def test_an_officer_drills_down_the_tree(world: World, live_server: Any, phone: Any) -> None:
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("用户名").fill("fengtai_officer")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.get_by_role("link", name="宛平城地区").click()
    phone.get_by_role("link", name="宛平城社区").click()
    assert phone.get_by_role("link", name="城内街").is_visible()
    screenshot(phone, "area-detail-375")
    assert phone.console_errors == []
