"""The unit contact files today's report on a 375 px phone: from the 工作台 to the unit's
page, the counts and one sick absence, the on-site breach said at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from fangkong.accounts.roles import Role
from fangkong.policy.services import policy_seed_2020
from fangkong.unitduty.models import Finding, UnitReport
from fangkong.units.models import UnitKind
from fangkong.units.services import unit_contact_set, unit_get_or_register
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING, World, make_account

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_flushable"),
]


def test_the_unit_contact_files_todays_report_on_a_phone(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()  # transactional tests flush the seeded policy
    unit = unit_get_or_register(
        area=world.areas[WANPING], name="中国盲文出版社", kind=UnitKind.ENTERPRISE
    )
    make_account("press_contact", Role.UNIT_CONTACT, WANPING)
    unit_contact_set(actor=world.wanping_worker, unit=unit, username="press_contact")
    login(phone, live_server.url, "press_contact")
    phone.get_by_text("今日单位日报未填报").first.click()
    phone.get_by_role("link", name="中国盲文出版社").click()
    assert fits_the_phone(phone)
    phone.get_by_label("应到岗人数").fill("240")
    phone.get_by_label("在岗人数", exact=True).fill("130")
    phone.get_by_label("居家办公人数").fill("100")
    phone.get_by_label("已测体温人数").fill("130")
    phone.locator("#id_sick_0_name").fill("刘晓")
    phone.locator("#id_sick_0_symptoms").fill("咳嗽")
    phone.locator("#id_sick_0_since").fill(timezone.localdate().isoformat())
    phone.locator("#id_sick_0_temperature").fill("38.2")
    screenshot(phone, "unit-report-phone-form")
    phone.locator("#file-report").click()
    phone.wait_for_selector("#report")
    assert "在岗率超过上限" in phone.content()
    assert fits_the_phone(phone)
    screenshot(phone, "unit-report-phone-filed")
    report = UnitReport.objects.get(unit=unit)
    assert (report.staff_on_site, report.sick_absences.get().fever) == (130, True)
    assert Finding.objects.get().report == report
    assert phone.console_errors == []
