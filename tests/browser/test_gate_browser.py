"""The guard's phone page (375 px): type a pass number, 36.5 → 通行; 37.6 → the red
禁止通行 with 体温异常; a lost reply is retried with the same check id and logged once."""

from __future__ import annotations

from typing import Any

import pytest

from fangkong.access import auth, checks
from fangkong.access.models import GateCheck
from fangkong.access.services import gate_create, pass_issue
from fangkong.arrivals.models import Alert
from fangkong.policy.services import policy_seed_2020
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, WANPING_ZONE, World
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # Home for most roles; a guard's home is the gate page itself.
    page.wait_for_url(lambda address: address in (f"{url}/", f"{url}/access/gate/"))


def fits_the_phone(page: Any) -> bool:
    """Nothing wider than the screen. Compared with clientWidth, not innerWidth: on a mobile
    viewport Chromium zooms out to show a too-wide page, and innerWidth grows with it."""
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
            " && document.documentElement.clientWidth <= screen.width"
        )
    )


def test_the_guard_types_a_number_and_sees_admit_then_a_fever_deny(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()  # transactional tests flush the seeded policy
    checks.caches_clear()
    auth.cache_clear()
    zone = world.areas[WANPING_ZONE]
    gate_create(actor=world.wanping_worker, area=zone, name="城内街东门志愿服务岗")
    person = make_person(world.wanping_worker, zone, "张建华", building="城内街12号院")
    card = pass_issue(
        actor=world.wanping_worker, person=person, area=zone, kind="resident", verified=True
    )

    login(phone, live_server.url, "chengnei_guard")
    scanner_requests: list[str] = []
    phone.on("request", lambda r: "qr-scanner" in r.url and scanner_requests.append(r.url))
    phone.goto(f"{live_server.url}/access/gate/")
    assert phone.get_by_label("体温（°C）").get_attribute("inputmode") == "decimal"
    phone.get_by_label("体温（°C）").fill("36.5")
    phone.get_by_label("出入证号 / 身份证号").fill(card.number_display)
    phone.get_by_role("button", name="查验").click()
    verdict = phone.locator("#verdict")
    verdict.wait_for()
    assert verdict.inner_text() == "通行"
    assert phone.locator("#who").inner_text() == "张**"
    assert "admit" in (phone.locator("#result").get_attribute("class") or "")
    assert fits_the_phone(phone)
    screenshot(phone, "gate-admit-375")

    phone.get_by_role("button", name="下一位").click()  # one tap: cleared, ready
    assert not phone.locator("#result").is_visible()
    assert phone.get_by_label("体温（°C）").input_value() == ""
    phone.get_by_label("体温（°C）").fill("37.6")
    phone.get_by_label("出入证号 / 身份证号").fill(card.number)
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_function("document.querySelector('#verdict').textContent === '禁止通行'")
    assert phone.locator("#reasons").inner_text() == "体温异常"
    color = phone.evaluate("getComputedStyle(document.querySelector('#result')).backgroundColor")
    assert color == "rgb(198, 40, 40)"
    assert fits_the_phone(phone)
    screenshot(phone, "gate-fever-375")
    assert Alert.objects.filter(person=person, kind="fever").count() == 1
    assert scanner_requests == []  # the scanner library was never loaded: no camera tap
    assert list(GateCheck.objects.order_by("at").values_list("decision", flat=True)) == [
        "admit",
        "deny",
    ]
    # The page's check ids are UUIDv7: time-ordered, the log's index takes them in order.
    first, second = GateCheck.objects.order_by("at").values_list("check_id", flat=True)
    assert (first.version, second.version) == (7, 7) and first < second
    assert phone.console_errors == []


def test_a_lost_reply_is_retried_with_the_same_check_id_and_logged_once(
    world: World, live_server: Any, phone: Any
) -> None:
    checks.caches_clear()
    auth.cache_clear()
    zone = world.areas[WANPING_ZONE]
    gate_create(actor=world.wanping_worker, area=zone, name="城内街西门志愿服务岗")
    person = make_person(world.wanping_worker, zone, "刘芳", building="城内街3号院")
    card = pass_issue(
        actor=world.wanping_worker, person=person, area=zone, kind="resident", verified=True
    )
    login(phone, live_server.url, "chengnei_guard")
    phone.goto(f"{live_server.url}/access/gate/")
    bodies: list[str] = []

    def lose_the_first_reply(route: Any) -> None:
        bodies.append(route.request.post_data)
        if len(bodies) == 1:
            route.fetch()  # the server gets it and logs it …
            route.abort("connectionreset")  # … and the reply is lost on the way back
        else:
            route.continue_()

    phone.route("**/api/v1/gate-checks/", lose_the_first_reply)
    phone.get_by_label("体温（°C）").fill("36.4")
    phone.get_by_label("出入证号 / 身份证号").fill(card.number)
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_function("document.querySelector('#verdict').textContent === '通行'")
    screenshot(phone, "gate-retried-375")
    assert len(bodies) == 2 and bodies[0] == bodies[1]  # the same check_id, sent again
    assert GateCheck.objects.count() == 1
    phone.console_errors.clear()  # the aborted request is logged by the browser


def test_a_worker_issues_a_pass_prints_cards_and_reads_the_gate_counts(
    world: World, live_server: Any, browser: Any
) -> None:
    checks.caches_clear()
    auth.cache_clear()
    zone = world.areas[WANPING_ZONE]
    gate_create(actor=world.wanping_worker, area=zone, name="城内街东门志愿服务岗")
    people = [
        make_person(world.wanping_worker, zone, f"居民{i}号", building=f"城内街{i}号院")
        for i in range(1, 10)
    ]
    for person in people[1:]:
        pass_issue(
            actor=world.wanping_worker, person=person, area=zone, kind="resident", verified=True
        )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, live_server.url, "wanping_worker")
    page.goto(f"{live_server.url}/access/passes/new/?q=居民1号")
    page.get_by_role("link", name="居民1号").click()
    page.get_by_label("已当面核验本人身份证件").check()
    page.get_by_role("button", name="办理").click()
    page.wait_for_url("**/access/passes/*/")
    assert "居民1号" in page.content() and "<svg" in page.content()
    screenshot(page, "pass-detail")
    page.goto(f"{live_server.url}/access/passes/print/?area={WANPING_ZONE}")
    assert page.locator("[data-card]").count() == 9
    assert page.locator(".sheet").count() == 2
    screenshot(page, "pass-cards-a4")
    page.goto(f"{live_server.url}/access/gates/")
    assert "城内街东门志愿服务岗" in page.content()
    screenshot(page, "gates")
    context.close()
