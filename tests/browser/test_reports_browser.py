"""The dashboard in Chromium: a street officer sees the charts drawn (canvas, no console
errors), clicks a community, then a zone, and downloads the 日报 workbook — on a desktop
window and on a phone."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from fangkong.arrivals.models import ObservationMode
from fangkong.arrivals.observation.services import observation_start
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Whereabouts
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING, WANPING_ZONE, World
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _some_records(world: World) -> None:
    policy_seed_2020()  # transactional tests flush the seeded policy
    zone = world.areas[WANPING_ZONE]
    for n in range(3):
        person = make_person(world.wanping_worker, zone, f"居民{n}", building="城内街3号院")
        if n:
            observation_start(
                actor=world.wanping_worker,
                person=person,
                area=zone,
                mode=ObservationMode.HOME,
                arrived_on=timezone.localdate(),
            )
    make_person(
        world.wanping_worker, zone, "未返京", whereabouts=Whereabouts.NOT_BACK, away_from="湖北省"
    )


def test_a_street_officer_drills_down_and_downloads_the_daily_report(
    world: World, live_server: Any, browser: Any
) -> None:
    _some_records(world)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))

    login(page, live_server.url, "wanping_officer")
    page.get_by_role("link", name="日报").first.click()
    page.wait_for_selector("#chart-observing canvas")
    assert page.locator(".fk-chart canvas").count() == 3
    assert page.locator("h1").inner_text().startswith("宛平城地区")
    observing = page.locator('[data-figure="observing"] .value').inner_text()
    assert observing == "2"
    screenshot(page, "reports-street-desktop")

    page.locator("#children").get_by_role("link", name="宛平城社区").click()
    page.wait_for_url(f"**/reports/?area={WANPING}*")
    page.wait_for_selector("#chart-observing canvas")
    assert page.locator("h1").inner_text().startswith("宛平城社区")
    page.locator("#children").get_by_role("link", name="城内街").click()
    page.wait_for_url(f"**/reports/?area={WANPING_ZONE}*")
    assert page.locator('[data-figure="not_back"] .value').inner_text() == "1"

    with page.expect_download() as info:
        page.locator("#export").click()
    download = info.value
    assert download.suggested_filename.startswith("城内街日报-")
    wb = load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    assert wb["日报"]["A1"].value == "城内街疫情防控工作日报"
    assert errors == []
    context.close()


def test_the_dashboard_fits_a_phone(world: World, live_server: Any, phone: Any) -> None:
    _some_records(world)
    login(phone, live_server.url, "wanping_officer")
    phone.goto(f"{live_server.url}/reports/?area={WANPING}")
    phone.wait_for_selector("#chart-observing canvas")
    assert fits_the_phone(phone)
    screenshot(phone, "reports-community-phone")
    assert phone.console_errors == []


def test_the_printable_daily_report_renders(world: World, live_server: Any, phone: Any) -> None:
    _some_records(world)
    login(phone, live_server.url, "wanping_officer")
    phone.goto(f"{live_server.url}/reports/daily/print/?area={WANPING}")
    assert phone.locator("h1").inner_text().replace(" ", "") == "宛平城社区疫情防控工作日报"
    assert phone.locator("#daily tr.total td.name").inner_text() == "合计"
    assert phone.locator("#daily tbody tr").count() == 4  # three zones, the totals
    screenshot(phone, "reports-print-phone")
    assert phone.console_errors == []
