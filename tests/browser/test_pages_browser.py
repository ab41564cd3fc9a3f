"""Pages that had only server-side tests, on the 375 px phone: households and one household,
possible duplicates with a merge, observations with their detail and printable A4 paperwork,
the policy list and one version, the audit log. Each page: its Chinese heading and a row we
made, no sideways scroll, no console error, a screenshot in test-artifacts/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fangkong.arrivals.observation.services import (
    observation_release,
    observation_shorten,
    observation_start,
)
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Person
from fangkong.registry.people.services import person_reveal
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING_ZONE, World
from tests.factories import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def looks_right(page: Any, name: str) -> None:
    """What every page must be on the phone: no sideways scroll, no console error.

    On a mobile viewport Chromium zooms out to show a page that pokes past the screen, and
    window.innerWidth grows with it; so the page is also held to the screen's own width."""
    screenshot(page, name)
    assert fits_the_phone(page), f"{name}: wider than the phone"
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1] == 375, f"{name}: {widths[0]} px wide on a 375 px phone"
    assert page.console_errors == [], page.console_errors


def open_printout(page: Any, button: str) -> Any:
    """Press a print button; the A4 sheets open in a new tab, watched for console errors
    from its first request on (the tab does not exist yet when the listener must be set)."""
    errors: list[str] = []

    def collect(message: Any) -> None:
        if message.type == "error" and message.page is not page and not message.page.is_closed():
            errors.append(message.text)

    page.context.on("console", collect)
    with page.context.expect_page() as opened:
        page.get_by_role("button", name=button).click()
    printout = opened.value
    printout.console_errors = errors
    printout.on("pageerror", lambda e: errors.append(str(e)))
    printout.wait_for_load_state()
    return printout


def test_a_worker_reads_households_and_merges_a_possible_duplicate(
    world: World, live_server: Any, phone: Any
) -> None:
    zone = world.areas[WANPING_ZONE]
    worker = world.wanping_worker
    make_person(worker, zone, "王桂兰", building="城内街18号院", room="东厢房")
    make_person(worker, zone, "李长顺", building="城内街18号院", room="东厢房", kind="tenant")
    # The same woman registered twice without a document: same name, same phone.
    keep = make_person(worker, zone, "陈淑珍", document_number="", phone="13911112222")
    duplicate = make_person(
        worker, zone, "陈淑珍", document_number="", phone="13911112222", building="城内街7号院"
    )

    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/registry/households/")
    assert phone.get_by_role("heading", name="按户查看").is_visible()
    household = phone.get_by_role("link", name="城内街 城内街18号院 东厢房")
    assert household.inner_text().endswith("2 人")
    looks_right(phone, "households-375")

    household.click()
    phone.wait_for_url("**/registry/households/*/")
    assert phone.get_by_role("heading", name="城内街 城内街18号院 东厢房").is_visible()
    assert phone.get_by_text("现住 2 人").is_visible()
    assert phone.get_by_role("link", name="王桂兰").is_visible()
    assert phone.get_by_role("link", name="李长顺").is_visible()
    looks_right(phone, "household-detail-375")

    phone.goto(f"{live_server.url}/registry/people/duplicates/")
    assert phone.get_by_role("heading", name="疑似重复人员").is_visible()
    assert phone.get_by_role("link", name=f"陈淑珍 #{keep.pk}").is_visible()
    assert phone.get_by_role("link", name=f"陈淑珍 #{duplicate.pk}").is_visible()
    looks_right(phone, "duplicates-375")

    # A merge cannot be undone: the phone asks first, and a "no" leaves both records.
    asked: list[str] = []

    def answer(accept: bool) -> Any:
        def on_dialog(dialog: Any) -> None:
            asked.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return on_dialog

    merge = phone.get_by_role("button", name=f"合并到 #{keep.pk}")
    phone.once("dialog", answer(False))
    merge.click()
    assert len(asked) == 1 and "不能撤销" in asked[0]
    assert phone.url.endswith("/registry/people/duplicates/")
    assert Person.objects.get(pk=duplicate.pk).merged_into_id is None

    phone.once("dialog", answer(True))
    merge.click()
    phone.wait_for_url(f"**/registry/people/{keep.pk}/")
    assert phone.get_by_text(f"已把 #{duplicate.pk} 合并到 陈淑珍（#{keep.pk}）").is_visible()
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == keep.pk
    assert phone.get_by_role("link", name="城内街 城内街7号院").is_visible()  # the home moved
    looks_right(phone, "duplicates-merged-375")

    phone.goto(f"{live_server.url}/registry/people/duplicates/")
    assert phone.get_by_text("没有发现疑似重复的人员。").is_visible()
    assert phone.console_errors == []


def test_a_worker_follows_observations_and_prints_the_paperwork(
    world: World, live_server: Any, phone: Any
) -> None:
    policy_seed_2020()  # transactional tests flush the seeded policy
    zone = world.areas[WANPING_ZONE]
    worker = world.wanping_worker
    today = timezone.localdate()
    watched = make_person(worker, zone, "孙立新", building="城内街21号院", room="北房")
    observation = observation_start(
        actor=worker,
        person=watched,
        area=zone,
        mode="home",
        arrived_on=today - dt.timedelta(days=2),
        address=watched.residences.get().address,
    )
    # One whose 14 days are over: day 1 thirteen days ago, shortened by a day, released.
    done = make_person(worker, zone, "周玉梅", building="城内街5号院")
    released = observation_start(
        actor=worker, person=done, area=zone, mode="home", arrived_on=today - dt.timedelta(days=13)
    )
    observation_shorten(
        actor=worker, observation=released, days=1, reason="核酸检测阴性，提前一天解除"
    )
    observation_release(actor=worker, observation=released, on=today)

    login(phone, live_server.url, "wanping_worker")
    phone.goto(f"{live_server.url}/arrivals/observations/")
    assert phone.get_by_role("heading", name="居家 / 集中观察").is_visible()
    row = phone.locator(f'[data-observation="{observation.pk}"]')
    assert "孙立新" in row.inner_text() and "第 3 / 14 天" in row.inner_text()
    looks_right(phone, "observations-375")

    # Tick the row and print its notice: the A4 sheet opens in a new tab.
    row.get_by_label("选择 孙立新").check()
    notices = open_printout(phone, "打印所选观察告知书")
    assert notices.locator("[data-sheet]").count() == 1
    assert notices.get_by_role("heading", name="居家观察告知书").is_visible()
    assert "孙立新" in notices.locator(f'[data-sheet="{observation.pk}"]').inner_text()
    assert notices.locator(f'[data-sheet="{observation.pk}"] svg').count() == 1  # the QR code
    looks_right(notices, "observation-print-notices-375")
    notices.close()

    row.get_by_role("link").click()
    phone.wait_for_url(f"**/arrivals/observations/{observation.pk}/")
    assert phone.get_by_role("heading", name="孙立新").is_visible()
    assert phone.locator("#status").inner_text() == "观察中 · 第 3 / 14 天"
    assert "城内街21号院 北房" in phone.locator("dl").inner_text()
    looks_right(phone, "observation-detail-375")

    phone.goto(f"{live_server.url}/arrivals/observations/?tab=released")
    done_row = phone.locator(f'[data-observation="{released.pk}"]')
    assert "周玉梅" in done_row.inner_text() and "已解除" in done_row.inner_text()
    looks_right(phone, "observations-released-375")
    done_row.get_by_label("选择 周玉梅").check()
    certificates = open_printout(phone, "打印所选解除观察证明")
    assert certificates.get_by_role("heading", name="解除观察证明").is_visible()
    sheet = certificates.locator(f'[data-sheet="{released.pk}"]').inner_text()
    assert "周玉梅" in sheet and f"{today:%Y年}{today.month}月{today.day}日" in sheet
    looks_right(certificates, "observation-print-certificates-375")
    assert phone.console_errors == []


def test_the_admin_reads_the_policy_and_the_audit_log(
    world: World, live_server: Any, phone: Any
) -> None:
    policy = policy_seed_2020()
    person = make_person(world.wanping_worker, world.areas[WANPING_ZONE], "赵秀英")
    person_reveal(actor=world.wanping_worker, person=person)

    login(phone, live_server.url, "admin")
    phone.goto(f"{live_server.url}/policy/")
    assert phone.get_by_role("heading", name="防控政策").is_visible()
    assert phone.get_by_test_id("in-force").is_visible()
    assert phone.get_by_role("cell", name=policy.label).is_visible()
    looks_right(phone, "policy-list-375")

    phone.get_by_role("cell", name=policy.label).get_by_role("link").click()
    phone.wait_for_url(f"**/policy/{policy.pk}/")
    assert phone.get_by_role("heading", name=policy.label).is_visible()
    assert phone.get_by_text(f"{policy.observation_days} 天", exact=True).first.is_visible()
    assert phone.get_by_role("heading", name="来源地规则").is_visible()
    looks_right(phone, "policy-detail-375")

    phone.goto(f"{live_server.url}/audit/")
    assert phone.get_by_role("heading", name="审计日志").is_visible()
    row = phone.get_by_role("row").filter(has_text="查看完整个人信息")
    assert row.count() == 1
    assert "wanping_worker" in row.inner_text() and "城内街" in row.inner_text()
    looks_right(phone, "audit-log-375")
    # The log is wider than the phone: its right edge fades until it is swiped to the end.
    table = phone.locator(".table-responsive").first
    assert table.evaluate("box => box.scrollWidth > box.clientWidth")
    assert "fk-more" in (table.get_attribute("class") or "")
    table.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    phone.wait_for_function(
        "() => !document.querySelector('.table-responsive').classList.contains('fk-more')"
    )
