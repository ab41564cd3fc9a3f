"""A post's shift pattern changes (3 × 8 h → 2 × 12 h) from today on: shifts nobody served
in go, shifts people served in are retired with their hours kept, and roster lines from
today on in a shift that would change stop the change (409 naming it). One shift's need
changes on its own. Pages and API."""

from __future__ import annotations

import datetime as dt

from fangkong.duty import selectors, services
from fangkong.duty.models import Assignment, Post, Shift
from tests.conftest import World
from tests.duty.conftest import TODAY, Duty, at


def _post(duty: Duty) -> Post:
    return Post.objects.get(pk=duty.post.pk)


def test_rostered_lines_ahead_stop_the_change_and_name_the_shift(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    services.assign(
        actor=worker, shift=duty.evening, day=TODAY + dt.timedelta(days=1), person=duty.people[0]
    )
    answer = world.api(worker).put(
        f"/api/v1/duty/posts/{duty.post.pk}/shifts/", {"pattern": "2x12"}, format="json"
    )
    assert answer.status_code == 409
    error = answer.json()["errors"][0]
    assert error["field"] == "pattern"
    assert "晚班" in error["reason"] and "16:00–24:00" in error["reason"]
    # nothing changed
    assert [(s.starts.hour, s.hours, s.active) for s in duty.post.shifts.order_by("starts")] == [
        (0, 8, True),
        (8, 8, True),
        (16, 8, True),
    ]


def test_the_change_retires_served_shifts_and_deletes_unused_ones(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    # Yesterday's evening shift was served; the night shift never was.
    yesterday = TODAY - dt.timedelta(days=1)
    served = services.assign(actor=worker, shift=duty.evening, day=yesterday, person=duty.people[0])
    answer = world.api(worker).put(
        f"/api/v1/duty/posts/{duty.post.pk}/shifts/",
        {"pattern": "2x12", "needed": 3},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [(s["name"], s["times"], s["needed"]) for s in body["shifts"]] == [
        ("白班", "08:00–20:00", 3),
        ("夜班", "20:00–08:00", 3),
    ]
    assert not Shift.objects.filter(pk=duty.night.pk).exists()
    retired = Shift.objects.get(pk=duty.evening.pk)
    assert not retired.active
    assert Assignment.objects.filter(pk=served.pk).exists()  # the hours worked stay
    # Coverage and the week page count only the new pattern.
    cells = selectors.coverage(Post.objects.filter(pk=duty.post.pk), TODAY, TODAY)
    assert [(c.shift.starts.hour, c.needed, c.gap) for c in cells] == [(8, 3, 3), (20, 3, 3)]
    coverage = world.api(worker).get("/api/v1/duty/coverage/?from=2020-03-04&to=2020-03-04")
    (post,) = coverage.json()["posts"]
    assert [s["starts"] for s in post["shifts"]] == ["08:00", "20:00"]
    # A retired shift takes no one.
    answer = world.api(worker).post(
        "/api/v1/duty/assignments/",
        {"shift": retired.pk, "day": "2020-03-05", "person": duty.people[1].pk},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "shift"
    # At 22:00 the shift under way is the new night shift.
    night = Shift.objects.get(post=duty.post, starts=dt.time(20))
    assert services.instance_at(_post(duty), at(TODAY, 22)) == (night, TODAY)
    # Going back to 3 × 8 brings the retired evening shift back.
    services.shifts_set(actor=worker, post=_post(duty), pattern="3x8")
    assert Shift.objects.get(pk=retired.pk).active


def test_bad_pattern_and_need_name_the_field(world: World, duty: Duty) -> None:
    api = world.api(world.wanping_worker)
    url = f"/api/v1/duty/posts/{duty.post.pk}/shifts/"
    assert api.put(url, {"pattern": "4x6"}, format="json").json()["errors"][0]["field"] == "pattern"
    answer = api.put(url, {"pattern": "3x8", "needed": 0}, format="json")
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (400, "needed")
    answer = api.patch(f"/api/v1/duty/shifts/{duty.night.pk}/", {"needed": 99}, format="json")
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (400, "needed")


def test_one_shift_needs_fewer_and_its_gap_follows(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    services.assign(actor=worker, shift=duty.night, day=TODAY, person=duty.people[0])
    answer = world.api(worker).patch(
        f"/api/v1/duty/shifts/{duty.night.pk}/", {"needed": 1}, format="json"
    )
    assert (answer.status_code, answer.json()["needed"]) == (200, 1)
    cells = selectors.coverage(Post.objects.filter(pk=duty.post.pk), TODAY, TODAY)
    assert next((c.shift.pk, c.gap) for c in cells) == (duty.night.pk, 0)


def test_the_week_page_changes_pattern_and_need(world: World, duty: Duty) -> None:
    client = world.client(world.wanping_worker)
    page = client.get(f"/duty/posts/{duty.post.pk}/")
    assert f'action="/duty/posts/{duty.post.pk}/shifts/"' in page.content.decode()
    answer = client.post(
        f"/duty/shifts/{duty.day.pk}/needed/", {"needed": "4", "week": "2020-03-02"}
    )
    assert answer.status_code == 302 and "week=2020-03-02" in answer["Location"]
    assert Shift.objects.get(pk=duty.day.pk).needed == 4
    answer = client.post(f"/duty/posts/{duty.post.pk}/shifts/", {"pattern": "2x12"}, follow=True)
    assert "已更改班次模式" in answer.content.decode()
    assert sorted(s.hours for s in duty.post.shifts.filter(active=True)) == [12, 12]


def test_another_community_cannot_change_the_pattern(world: World, duty: Duty) -> None:
    answer = world.api(world.zhenguosi_worker).put(
        f"/api/v1/duty/posts/{duty.post.pk}/shifts/", {"pattern": "2x12"}, format="json"
    )
    assert answer.status_code == 404
    answer = world.api(world.zhenguosi_worker).patch(
        f"/api/v1/duty/shifts/{duty.night.pk}/", {"needed": 1}, format="json"
    )
    assert answer.status_code == 404
    assert duty.post.shifts.get(pk=duty.night.pk).needed == 2
