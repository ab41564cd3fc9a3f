"""The guard's two pages driven on a 375 px phone: a temperature typed with a comma is
read, one that is no number is named; on the visitor page the kind is two buttons side by
side, tapping 快递外卖 lists a delivery's reasons, and after a registration the form is
empty for the next one."""

from __future__ import annotations

from typing import Any

import pytest

from fangkong.access import auth, checks
from fangkong.access.models import GateCheck, Visit
from fangkong.access.services import gate_create, pass_issue
from fangkong.policy.services import policy_seed_2020
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING_ZONE, World
from tests.factories import make_person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_flushable"),
]


@pytest.fixture
def guard_page(world: World, live_server: Any, phone: Any) -> Any:
    policy_seed_2020()  # transactional tests flush the seeded policy
    checks.caches_clear()
    auth.cache_clear()
    gate_create(actor=world.wanping_worker, area=world.areas[WANPING_ZONE], name="城内街东门")
    login(phone, live_server.url, "chengnei_guard")
    phone.base = live_server.url
    return phone


def test_a_temperature_typed_with_a_comma_is_read_and_a_word_is_named(
    world: World, guard_page: Any
) -> None:
    zone = world.areas[WANPING_ZONE]
    person = make_person(world.wanping_worker, zone, "张建华", building="城内街12号院")
    card = pass_issue(
        actor=world.wanping_worker, person=person, area=zone, kind="resident", verified=True
    )
    phone = guard_page
    phone.goto(f"{phone.base}/access/gate/")
    phone.get_by_label("体温（°C）").fill("abc")
    phone.get_by_label("出入证号 / 身份证号").fill(card.number)
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_function("document.querySelector('#msg').textContent !== ''")
    assert phone.locator("#msg").inner_text() == "体温“abc”不是数字，请填写如 36.5"
    assert not GateCheck.objects.exists()
    phone.console_errors.clear()  # the browser logs the 400 it was answered
    phone.get_by_label("体温（°C）").fill("36,5")
    phone.get_by_role("button", name="查验").click()
    phone.wait_for_function("document.querySelector('#verdict').textContent === '通行'")
    assert str(GateCheck.objects.get().temperature) == "36.5"
    assert phone.console_errors == []


def test_the_visitor_page_lists_the_reasons_of_the_kind_and_empties_after(
    guard_page: Any,
) -> None:
    phone = guard_page
    phone.goto(f"{phone.base}/access/gate/visit/")
    assert phone.get_by_label("门岗").input_value() != ""  # the guard's only post
    visitor, delivery = (
        phone.locator(f"label:has(input[value={v}])") for v in ("visitor", "delivery")
    )
    one, two = visitor.bounding_box(), delivery.bounding_box()
    assert one["y"] == two["y"] and min(one["width"], two["width"]) > 120  # side by side
    assert fits_the_phone(phone)
    screenshot(phone, "gate-visit-375")

    phone.get_by_text("快递外卖", exact=True).click()
    reasons = phone.locator("#id_reason option").all_inner_texts()
    assert reasons == ["快递", "外卖", "生活物资配送", "其他"]
    phone.get_by_label("事由").select_option(label="生活物资配送")
    phone.get_by_label("姓名").fill("物资配送员")
    phone.get_by_label("体温（°C）").fill("36,4")
    phone.get_by_role("button", name="登记").click()
    phone.locator("#decision").wait_for()
    assert phone.locator("#decision").inner_text().startswith("准予进入")
    visit = Visit.objects.get()
    assert (visit.kind, visit.reason, str(visit.temperature)) == ("delivery", "supplies", "36.4")
    assert phone.get_by_label("姓名").input_value() == ""
    assert phone.get_by_label("体温（°C）").input_value() == ""
    assert phone.get_by_label("快递外卖").is_checked()  # couriers come one after another
    assert phone.locator("#id_reason option").all_inner_texts() == reasons
    assert fits_the_phone(phone)
    screenshot(phone, "gate-visit-registered-375")
    assert phone.console_errors == []
