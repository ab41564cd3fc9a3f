"""Duty's pages in English: once names, places and shift names (data) are taken out, no
Chinese is left in the page's own part."""

from __future__ import annotations

from fangkong.duty import services
from fangkong.duty.models import DutyPerson, Shift
from fangkong.registry.models import Person
from tests.conftest import World
from tests.duty.conftest import TODAY, Duty, at
from tests.english import chinese_left, english, world_data


def test_the_duty_pages_are_english(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    for person in duty.people[:2]:
        services.assign(actor=worker, shift=duty.day, day=TODAY, person=person)
    attendance = services.sign_in(
        actor=worker, post=duty.post, person=duty.people[0], now=at(TODAY, 8, 20)
    )
    services.sign_out(actor=worker, attendance=attendance, now=at(TODAY, 9))
    data = [*world_data(world), duty.post.name, "中国盲文出版社"]
    data += [p.name for p in Person.objects.all()] + [s.name for s in Shift.objects.all()]
    assert DutyPerson.objects.count() == 3
    pages = {
        "posts": (worker, "/duty/"),
        "week": (worker, f"/duty/posts/{duty.post.pk}/?week=2020-03-02"),
        "sign": (world.guard, f"/duty/posts/{duty.post.pk}/sign/"),
        "hours": (worker, "/duty/hours/?month=2020-03"),
        "people": (worker, "/duty/people/"),
        "home": (worker, "/"),
    }
    left = {}
    for name, (user, url) in pages.items():
        response = english(world, user).get(url)
        assert response.status_code == 200, name
        left[name] = chinese_left(response.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}


def test_pages_answer_each_role(world: World, duty: Duty) -> None:
    guard, officer = world.client(world.guard), world.client(world.wanping_officer)
    assert guard.get(f"/duty/posts/{duty.post.pk}/sign/").status_code == 200
    assert officer.get(f"/duty/posts/{duty.post.pk}/sign/").status_code == 403
    assert officer.get(f"/duty/posts/{duty.post.pk}/").status_code == 200
    response = guard.post(f"/duty/posts/{duty.post.pk}/sign/", {"person": duty.people[2].pk})
    assert response.status_code == 302
    assert duty.people[2].attendances.get().unplanned
    # the planner fills a slot from the week page
    planner = world.client(world.wanping_worker)
    response = planner.post(
        f"/duty/posts/{duty.post.pk}/assign/",
        {"shift": duty.evening.pk, "day": "2020-03-05", "person": duty.people[0].pk},
    )
    assert response.status_code == 302
    assert duty.people[0].assignments.filter(day="2020-03-05").exists()
    # and sets up a post with two shifts of 12 hours
    response = planner.post(
        "/duty/posts/new/",
        {"area": duty.post.area_id, "name": "城内街西门", "pattern": "2x12", "needed": "3"},
    )
    assert response.status_code == 302
    new = duty.post.area.duty_posts.get(name="城内街西门")
    assert [(s.label, s.needed) for s in new.shifts.all()] == [
        ("08:00–20:00", 3),
        ("20:00–08:00", 3),
    ]
    assert planner.post("/duty/posts/new/", {"area": "", "name": "x"}).status_code == 302


def test_the_duty_page_leads_to_rounds_and_supplies(world: World) -> None:
    page = world.client(world.wanping_worker).get("/duty/").content.decode()
    assert 'href="/rounds/" data-link="rounds"' in page
    assert 'href="/supplies/" data-link="supplies"' in page
    officer = world.client(world.district_officer).get("/duty/").content.decode()
    assert 'data-link="rounds"' in officer  # officers read rounds and supplies too


def test_the_guard_reaches_the_sign_in_sheet_from_the_gate_page(world: World) -> None:
    gate = world.client(world.guard).get("/access/gate/").content.decode()
    assert 'href="/duty/" data-link="duty"' in gate
    assert world.client(world.guard).get("/duty/").status_code == 200
