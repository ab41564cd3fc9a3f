"""The worker's day on a phone (375 px): the medic's alert from her 工作台 to 拨打 and its
handling; a worker records that 5 of a 6-person group arrived; a district officer
publishes a policy version effective tomorrow, and a notice decided tomorrow uses it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from fangkong.arrivals.models import Alert, AlertKind, ArrivalNotice, NoticeStatus, Observation
from fangkong.arrivals.notices.rules import policy_decide
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.policy.models import PolicyStatus, PolicyVersion
from fangkong.policy.services import policy_seed_2020
from tests.arrivals.test_notices import file_notice, inspect, workers
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import ZHENGUOSI, World, make_account
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_medic_calls_about_the_fever_from_her_workbench(
    world: World, live_server: Any, phone: Any
) -> None:
    cache.clear()
    make_account("zhenguosi_medic", "medical_staff", ZHENGUOSI)
    person = make_person(
        world.zhenguosi_worker, world.areas[ZHENGUOSI], "高热者", phone="13800138000"
    )
    alert = Alert.objects.create(
        area=world.areas[ZHENGUOSI],
        person=person,
        kind=AlertKind.FEVER,
        temperature=Decimal("37.6"),
    )
    login(phone, live_server.url, "zhenguosi_medic")
    item = phone.locator("[data-work-item]").first
    assert "发热、症状预警待处置" in item.inner_text() and fits_the_phone(phone)
    screenshot(phone, "workbench-medic-375")
    item.click()
    phone.wait_for_url("**/arrivals/alerts/")
    call = phone.locator(f'form[action="/contacts/call/alert/{alert.pk}/"] button')
    assert call.is_visible()
    # The call page hands tel: to the phone's dialler; headless Chromium has none.
    phone.route("tel:*", lambda route: route.abort())
    call.click()
    link = phone.locator("a#dial")
    link.wait_for()
    assert link.get_attribute("href") == "tel:+8613800138000"
    event = AuditEvent.objects.get(
        action=AuditAction.VIEW_RECORD, actor__username="zhenguosi_medic"
    )
    assert f"发热预警 #{alert.pk}" in event.detail
    # After the call, back to the list (a new tab: this one handed itself to the dialler).
    back = phone.context.new_page()
    back.goto(f"{live_server.url}/arrivals/alerts/")
    back.get_by_label("处置情况").fill("已电话询问，上门复测 36.9°C")
    back.locator(f'form[action="/arrivals/alerts/{alert.pk}/handle/"] button').click()
    back.get_by_text("已记录对 高热者 的处置").wait_for()
    alert.refresh_from_db()
    assert alert.handled_at is not None


def test_a_worker_records_five_of_six_arrived(world: World, live_server: Any, phone: Any) -> None:
    cache.clear()
    policy_seed_2020()
    today = timezone.localdate()
    filed = file_notice(
        world,
        world.wanping_worker,
        people=workers(6, start=820),
        planned_on=today.isoformat(),
    )
    assert filed.status_code == 201, filed.json()
    notice_id = filed.json()["id"]
    assert (
        inspect(world, world.wanping_worker, notice_id, inspected_on=today.isoformat()).status_code
        == 201
    )
    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/arrivals/notices/{notice_id}/")
    phone.locator('[data-action="arrive"]').click()
    phone.wait_for_url(f"**/arrivals/notices/{notice_id}/arrive/")
    boxes = phone.locator('input[name="people"]')
    assert boxes.count() == 6 and all(boxes.nth(i).is_checked() for i in range(6))
    boxes.nth(5).uncheck()
    assert fits_the_phone(phone)
    screenshot(phone, "arrive-375")
    phone.get_by_role("button", name="登记到京，开始观察").click()
    phone.wait_for_url(f"**/arrivals/notices/{notice_id}/")
    assert phone.locator('[data-arrival="arrived"]').count() == 5
    notice = ArrivalNotice.objects.get(pk=notice_id)
    assert notice.status == NoticeStatus.READY
    assert Observation.objects.filter(notice=notice).count() == 5


def test_a_district_officer_publishes_a_version_for_tomorrow(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    login(phone, live_server.url, "fengtai_officer")
    phone.goto(f"{live_server.url}/policy/")
    phone.get_by_role("button", name="起草新版本").click()
    phone.wait_for_url("**/policy/*/")
    phone.get_by_label("观察天数").first.fill("21")
    with phone.expect_navigation():
        phone.get_by_role("button", name="保存草稿").click()
    assert phone.locator('[data-testid="diff"]').is_visible()
    phone.get_by_label("生效日期").fill(tomorrow.isoformat())
    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation():
        phone.get_by_role("button", name="发布", exact=True).click()
    screenshot(phone, "policy-published-375")
    version = PolicyVersion.objects.get(status=PolicyStatus.PUBLISHED, effective_from=tomorrow)
    assert version.observation_days == 21
    decided = policy_decide(origin_code="130000", on=tomorrow)
    assert decided.policy == version and decided.days == 21
    assert policy_decide(origin_code="130000", on=timezone.localdate()).days == 14


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_menu_fits_in_both_languages(
    world: World, live_server: Any, browser: Any, language: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server.url, "wanping_worker")  # the login page is in Chinese
        cookie = {"name": "django_language", "value": language, "url": live_server.url}
        context.add_cookies([cookie])
        page.goto(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == language
        assert fits_the_phone(page), (language, width)
        screenshot(page, f"home-{language}-{width}")
    finally:
        context.close()
