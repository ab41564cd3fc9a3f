"""The self-report page on a phone (375 px): open the personal link, report 37.5 °C, see
the confirmation; then the area's medical account sees the fever alert and handles it."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from fangkong.accounts.roles import Role
from fangkong.arrivals.health.services import self_report_token
from fangkong.arrivals.models import Alert, HealthReport, ObservationMode
from fangkong.arrivals.observation.services import observation_start
from fangkong.policy.services import policy_seed_2020
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.conftest import PASSWORD, WANPING, WANPING_ZONE, World, make_account
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{url}/")


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_returnee_reports_a_fever_and_the_doctor_sees_it(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()  # transactional tests flush the seeded policy
    make_account("wanping_doctor", Role.MEDICAL_STAFF, WANPING)
    person = make_person(
        world.wanping_worker, world.areas[WANPING_ZONE], "张小明", building="城内街8号院"
    )
    observation = observation_start(
        actor=world.wanping_worker,
        person=person,
        area=world.areas[WANPING_ZONE],
        mode=ObservationMode.HOME,
        arrived_on=timezone.localdate(),
    )
    link = f"{live_server.url}/r/report/{self_report_token(observation=observation)}/"

    phone.goto(link)
    assert phone.locator("#who").inner_text() == "张**"
    assert phone.locator("#day").inner_text() == "1"
    temperature = phone.get_by_label("体温（°C）", exact=False)
    assert temperature.get_attribute("inputmode") == "decimal"
    assert fits_the_phone(phone)
    screenshot(phone, "self-report-375")
    temperature.fill("37.5")
    phone.get_by_text("咳嗽").click()
    phone.get_by_role("button", name="提交").click()
    confirmation = phone.locator("#confirmation")
    confirmation.wait_for()
    assert "已收到，第 1 天" in confirmation.inner_text()
    assert "体温 37.5°C" in confirmation.inner_text()
    assert "体温偏高，社区医生会尽快联系您" in phone.locator("#fever").inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "self-report-done-375")
    assert HealthReport.objects.filter(observation=observation).count() == 1

    # A forged link: a clear page, not an error.
    phone.goto(link.replace("/r/report/", "/r/report/x"))
    assert "链接无效" in phone.locator("h1").inner_text()
    screenshot(phone, "self-report-forged-375")
    assert phone.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    phone.console_errors.clear()  # that 400 was the point

    login(phone, live_server.url, "wanping_doctor")
    phone.goto(f"{live_server.url}/arrivals/alerts/")
    alert = phone.locator(f'[data-alert="{Alert.objects.get().pk}"]')
    assert "张小明" in alert.inner_text() and "37.5°C" in alert.inner_text()
    assert "发热" in alert.inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "alerts-doctor-375")
    alert.get_by_label("处置情况").fill("已上门复测 37.4°C，送丰台医院发热门诊")
    alert.get_by_role("button", name="已处置").click()
    phone.wait_for_selector("text=已记录对 张小明 的处置")
    assert Alert.objects.get().handled_at is not None
    phone.goto(f"{live_server.url}/arrivals/observations/{observation.pk}/")
    assert "37.5°C" in phone.locator("#reports").inner_text()
    screenshot(phone, "observation-detail-375")
    assert phone.console_errors == []


def test_a_worker_lists_observations_and_prints_notices(
    world: World, live_server: Any, phone: Any, browser: Any
) -> None:
    policy_seed_2020()
    today = timezone.localdate()
    observations = [
        observation_start(
            actor=world.wanping_worker,
            person=make_person(world.wanping_worker, world.areas[WANPING_ZONE], name),
            area=world.areas[WANPING_ZONE],
            mode=ObservationMode.HOME,
            arrived_on=today,
        )
        for name in ("张小明", "李小红")
    ]
    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/arrivals/observations/")
    for o in observations:
        assert phone.locator(f'[data-observation="{o.pk}"]').is_visible()
    assert fits_the_phone(phone)
    screenshot(phone, "observations-375")

    desk = browser.new_context(viewport={"width": 1000, "height": 1400}, locale="zh-CN")
    page = desk.new_page()
    login(page, live_server.url, "wanping_worker")
    ids = ",".join(str(o.pk) for o in observations)
    page.goto(f"{live_server.url}/arrivals/observations/print/notices/?ids={ids}")
    assert page.locator("section.sheet").count() == 2
    assert page.locator("section.sheet svg").count() == 2
    screenshot(page, "print-notices")
    page.emulate_media(media="print")
    page.pdf(path=str(ARTIFACTS / "print-notices.pdf"), format="A4")
    desk.close()
