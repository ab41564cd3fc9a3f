"""A gate referral on the worker's phone: "登记为未提前告知返京" opens the unannounced-arrival
form filled with what the referral knows."""

from __future__ import annotations

from typing import Any

import pytest

from fangkong.policy.services import policy_seed_2020
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING_ZONE, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_gate_referral_opens_the_prefilled_arrival_form(
    world: World, live_server: Any, phone: Any
) -> None:
    import uuid

    from fangkong.access import auth, checks
    from fangkong.access.services import gate_create, referral_create

    policy_seed_2020()
    checks.caches_clear()
    auth.cache_clear()
    gate = gate_create(
        actor=world.wanping_worker, area=world.areas[WANPING_ZONE], name="城内街东门"
    )
    body = {
        "check_id": str(uuid.uuid4()),
        "gate": gate.pk,
        "direction": "in",
        "temperature": "36.4",
        "pass_token": "no-such-pass",
    }
    assert (
        world.api(world.guard).post("/api/v1/gate-checks/", body, format="json").status_code == 201
    )
    from fangkong.access.models import GateCheck

    referral_create(
        actor=world.guard,
        check=GateCheck.objects.get(check_id=body["check_id"]),
        name="赵小二",
        note="自述从保定返京，未报备",
    )
    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/access/referrals/")
    phone.get_by_role("link", name="登记为未提前告知返京").click()
    phone.wait_for_url("**/arrivals/unannounced/new/?*referral=*")
    assert "来自门岗转交：城内街东门" in phone.locator(".alert-info").inner_text()
    assert phone.locator("#id_name").input_value() == "赵小二"
    assert fits_the_phone(phone)
    screenshot(phone, "referral-arrival-form-phone")
    assert phone.console_errors == []
