"""Duty on a 375 px phone: the guard signs a rostered volunteer in with one tap; the
planner sees tomorrow night's gap on the 工作台, follows it to the roster and fills it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fangkong.duty import services
from fangkong.duty.models import Attendance, DutyRole
from tests.browser.conftest import screenshot
from tests.browser.test_gate_browser import fits_the_phone, login
from tests.conftest import WANPING, WANPING_ZONE, World
from tests.factories import make_person

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_flushable"),
]


def _roster(world: World) -> tuple[Any, list[Any], Any]:
    """A post with 3 shifts of one person each, rostered for 8 days but tomorrow's 晚班
    (16–24); a fourth person free to fill it."""
    worker = world.wanping_worker
    zone = world.areas[WANPING_ZONE]
    post = services.post_create(actor=worker, area=zone, name="城内街东门志愿服务岗")
    shifts = services.shifts_set(actor=worker, post=post, pattern="3x8", needed=1)
    people = [
        services.duty_person_add(
            actor=worker,
            area=world.areas[WANPING],
            person=make_person(worker, zone, name),
            role=DutyRole.VOLUNTEER,
        )
        for name in ("李夜班", "王白班", "赵晚班", "孙替班")
    ]
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    for d in range(-1, 8):
        day = today + dt.timedelta(days=d)
        for shift, person in zip(shifts, people, strict=False):
            if (day, shift.starts) != (tomorrow, dt.time(16)):
                services.assign(actor=worker, shift=shift, day=day, person=person)
    return post, people, shifts


def test_the_guard_signs_a_volunteer_in_and_the_planner_fills_tomorrows_gap(
    world: World, live_server: Any, phone: Any
) -> None:
    post, people, shifts = _roster(world)
    shift, day = services.instance_at(post, timezone.now())  # type: ignore[misc]
    volunteer = next(p for p in people if p.assignments.filter(shift=shift, day=day).exists())

    login(phone, live_server.url, "chengnei_guard")
    phone.goto(f"{live_server.url}/duty/posts/{post.pk}/sign/")
    button = phone.get_by_role("button", name=f"{volunteer.person.name} 签到")
    screenshot(phone, "duty-sign-375-before")
    assert button.bounding_box()["height"] >= 44  # a thumb's tap
    assert fits_the_phone(phone)
    screenshot(phone, "duty-sign-375")
    button.click()
    phone.wait_for_selector(f"[data-person='{volunteer.pk}'][data-state='in']")
    assert Attendance.objects.get().person == volunteer

    phone.context.clear_cookies()
    login(phone, live_server.url, "wanping_worker")
    item = phone.locator("[data-work-item]", has_text="值守缺口")
    assert "1" in item.inner_text()
    item.click()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    key = f"{shifts[2].pk}-{tomorrow:%Y-%m-%d}"  # tomorrow's 晚班
    assert phone.url.endswith(f"#gap-{key}")
    gap = phone.locator(f"#gap-{key}")
    assert gap.get_attribute("data-gap") == "1"
    assert fits_the_phone(phone)
    screenshot(phone, "duty-gap-375")
    gap.get_by_label("人员").select_option(label=f"{people[3].person.name} · 志愿者")
    gap.get_by_role("button", name="排班").click()
    phone.wait_for_load_state()
    assert phone.locator(f"#gap-{key}").get_attribute("data-gap") == "0"
    phone.goto(f"{live_server.url}/")
    assert phone.locator("[data-work-item]", has_text="值守缺口").count() == 0
