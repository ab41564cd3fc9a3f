"""Party donations on a 375 px phone: a branch treasurer records a donation above the
suggested 100 yuan (accepted, flagged) and passes the branch's holding up; the community
committee's treasurer sees the batch on the 工作台, receives it, and the reconciliation
shows no difference."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from fangkong.accounts.roles import Role
from fangkong.party import services
from fangkong.party.models import Donation, Remittance
from fangkong.policy.services import policy_seed_2020
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING_ZONE, World, make_account
from tests.factories import make_person
from tests.party.conftest import Party, party  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_flushable"),
]


def test_a_branch_donation_goes_up_and_reconciles(
    world: World,
    party: Party,  # noqa: F811
    live_server: Any,
    phone: Any,
) -> None:
    policy_seed_2020()  # transactional tests flush the seeded policy
    zone = world.areas[WANPING_ZONE]
    # The branch sits in the zone: its treasurer sees the branch and not the committee.
    branch_treasurer = make_account("zone_branch_treasurer", Role.PARTY_TREASURER, WANPING_ZONE)
    branch = services.org_create(
        actor=world.admin, name="城内街党支部", kind="branch", area=zone,
        parent=party.community, treasurer=branch_treasurer,
    )  # fmt: skip
    person = make_person(world.wanping_worker, zone, "王建国")
    member = services.member_add(actor=world.admin, branch=branch, person=person)

    login(phone, live_server.url, "zone_branch_treasurer")
    phone.goto(f"{live_server.url}/party/orgs/{branch.pk}/")
    donate = phone.locator("form[action$='/donate/']")
    donate.locator("select[name=member]").select_option(str(member.pk))
    donate.locator("input[name=amount]").fill("200.50")
    donate.locator("input[name=receipt_no]").fill("WX20200201001")
    assert fits_the_phone(phone)
    screenshot(phone, "party-donate-375")
    donate.get_by_role("button", name="登记").click()
    phone.wait_for_load_state()
    assert "超过建议金额，已标记" in phone.locator(".alert-success").inner_text()
    row = phone.locator("[data-donation]", has_text="王建国")
    assert "200.50" in row.inner_text() and "超过建议金额" in row.inner_text()
    donation = Donation.objects.get()
    assert donation.amount == Decimal("200.50") and donation.above_suggested
    assert fits_the_phone(phone)
    screenshot(phone, "party-donated-375")

    remit = phone.locator("form[action$='/remit/']")
    remit.locator("input[name=amount]").fill("200.50")
    remit.get_by_role("button", name="上缴").click()
    phone.wait_for_load_state()
    assert "已上缴 200.50 元" in phone.locator(".alert-success").inner_text()
    assert "结存 0.00 元" in phone.locator("[data-position]").inner_text()
    batch = Remittance.objects.get()
    assert batch.from_org == branch and batch.to_org == party.community
    assert fits_the_phone(phone)
    screenshot(phone, "party-remitted-375")

    phone.context.clear_cookies()
    login(phone, live_server.url, "wanping_treasurer")
    item = phone.locator("[data-work-item]", has_text="待接收的上缴批次")
    assert "1" in item.inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "party-workbench-375")
    item.click()
    phone.wait_for_load_state()
    row = phone.locator(f"[data-remittance='{batch.pk}']")
    assert "城内街党支部" in row.inner_text() and "200.50" in row.inner_text()
    assert fits_the_phone(phone)
    screenshot(phone, "party-to-receive-375")
    row.get_by_role("button", name="登记接收").click()
    phone.wait_for_load_state()
    assert batch.number in phone.locator(".alert-success").inner_text()
    batch.refresh_from_db()
    assert batch.received and batch.received_amount == Decimal("200.50")

    phone.goto(f"{live_server.url}/party/orgs/{party.community.pk}/reconciliation/")
    assert phone.locator("[data-differences]").first.get_attribute("data-differences") == "0"
    assert fits_the_phone(phone)
    screenshot(phone, "party-reconciliation-375")
    phone.goto(f"{live_server.url}/")
    assert phone.locator("[data-work-item]", has_text="待接收的上缴批次").count() == 0
    assert phone.console_errors == []  # type: ignore[attr-defined]
