"""Attendance at the post: one tap or a pass; late (> 15 min), missing (30 min, no
sign-in), unplanned (no roster line); sign out, hours per person and lending unit, Excel."""

from __future__ import annotations

import io

import openpyxl
import time_machine

from fangkong.access.models import Pass, PassKind
from fangkong.access.services import new_number, new_token
from fangkong.duty import selectors, services
from fangkong.duty.models import Attendance
from tests.conftest import WANPING_ZONE, World
from tests.duty.conftest import TODAY, Duty, at
from tests.factories import make_person


def test_sign_in_late_missing_unplanned(world: World, duty: Duty) -> None:
    worker, guard = world.wanping_worker, world.guard
    on_time, late, absent = duty.people
    for person in duty.people:
        services.assign(actor=worker, shift=duty.day, day=TODAY, person=person)
    api = world.api(guard)
    url = f"/api/v1/duty/posts/{duty.post.pk}/sign-in/"
    with time_machine.travel(at(TODAY, 8, 10), tick=False):
        first = api.post(url, {"person": on_time.pk}, format="json")
    assert first.status_code == 201 and first.json()["late"] is False
    with time_machine.travel(at(TODAY, 8, 16), tick=False):
        second = api.post(url, {"person": late.pk}, format="json")
    assert second.json()["late"] is True
    again = api.post(url, {"person": late.pk}, format="json")
    assert again.status_code == 409
    now = selectors.current_shift(duty.post)
    assert now is not None
    state = {r["line"].person_id: r["missing"] for r in now["roster"]}
    assert state == {on_time.pk: False, late.pk: False, absent.pk: True}
    # someone not rostered signs in with their pass: unplanned
    helper = services.duty_person_add(
        actor=worker,
        area=world.areas[WANPING_ZONE].parent,
        person=make_person(worker, world.areas[WANPING_ZONE], "孙帮忙"),
        role="worker",
    )
    card = Pass.objects.create(
        person=helper.person,
        area=world.areas[WANPING_ZONE],
        kind=PassKind.RESIDENT,
        token=new_token(),
        number=new_number(),
        issued_by=worker,
    )
    third = api.post(url, {"token": card.token}, format="json")
    assert third.status_code == 201 and third.json()["unplanned"] is True
    assert api.post(url, {"token": "nonsense"}, format="json").status_code == 400
    assert selectors.day_attendance(guard, TODAY) == {
        "n": 3,
        "late": 1,
        "unplanned": 1,
        "missing": 1,
    }


def test_hours_per_person_and_unit_with_excel(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    services.assign(actor=worker, shift=duty.night, day=TODAY, person=duty.people[0])
    attendance = services.sign_in(
        actor=worker, post=duty.post, person=duty.people[0], now=at(TODAY, 0, 5)
    )
    answer = world.api(world.guard).post(
        f"/api/v1/duty/attendances/{attendance.pk}/sign-out/", format="json"
    )
    assert answer.status_code == 200
    Attendance.objects.filter(pk=attendance.pk).update(signed_out_at=at(TODAY, 8, 5))
    hours = world.api(worker).get("/api/v1/duty/hours/?month=2020-03").json()
    assert hours["people"][0]["hours"] == 8.0
    assert hours["units"] == [{"unit": "中国盲文出版社", "shifts": 1, "hours": 8.0}]
    assert world.api(worker).get("/api/v1/duty/hours/?month=2020-13").status_code == 400
    page = world.client(worker).get("/duty/hours/?month=2020-03&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(page.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == "李志愿" and rows[1][4] == 8
    assert any(r[2] == "中国盲文出版社" and r[0] == "单位合计" for r in rows)
