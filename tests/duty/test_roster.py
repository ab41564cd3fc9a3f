"""Rosters: overlapping shifts refused (409 naming both), too short a rest refused, a
night shift counted on the day it starts, a person who starts observation drops out and
the gap appears, swap and copy last week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fangkong.arrivals.observation.services import observation_start
from fangkong.core.errors import Conflict
from fangkong.duty import selectors, services
from fangkong.duty.models import Assignment, Attendance, Post, ShiftDay
from fangkong.policy.services import policy_seed_2020
from tests.conftest import WANPING_ZONE, World
from tests.duty.conftest import TODAY, Duty, at


def test_a_night_shift_crossing_midnight_belongs_to_the_day_it_starts(
    world: World, duty: Duty
) -> None:
    worker = world.wanping_worker
    late = services.shifts_set(
        actor=worker,
        post=duty.post,
        pattern=[
            services.ShiftSpec("白班", dt.time(8), 12),
            services.ShiftSpec("夜班", dt.time(20), 12),
        ],
        needed=2,
    )[1]
    assert late.bounds(TODAY) == (at(TODAY, 20), at(TODAY + dt.timedelta(days=1), 8))
    services.assign(actor=worker, shift=late, day=TODAY, person=duty.people[0])
    cells = selectors.coverage(Post.objects.filter(pk=duty.post.pk), TODAY, TODAY)
    night = next(c for c in cells if c.shift.pk == late.pk)
    assert (night.day, night.rostered, night.gap) == (TODAY, 1, 1)
    tomorrow = selectors.coverage(
        Post.objects.filter(pk=duty.post.pk),
        TODAY + dt.timedelta(days=1),
        TODAY + dt.timedelta(days=1),
    )
    assert all(c.rostered == 0 for c in tomorrow)
    # At 02:00 the next morning, the shift under way is the one that started on TODAY.
    assert services.instance_at(duty.post, at(TODAY + dt.timedelta(days=1), 2)) == (late, TODAY)


def test_overlapping_shifts_are_refused_naming_both(world: World, duty: Duty) -> None:
    other = services.post_create(
        actor=world.wanping_worker, area=world.areas[WANPING_ZONE], name="城内街西门志愿服务岗"
    )
    shift = services.shifts_set(
        actor=world.wanping_worker,
        post=other,
        pattern=[services.ShiftSpec("白班", dt.time(12), 8)],
    )[0]
    first = services.assign(
        actor=world.wanping_worker, shift=duty.day, day=TODAY, person=duty.people[0]
    )
    api = world.api(world.wanping_worker)
    answer = api.post(
        "/api/v1/duty/assignments/",
        {"shift": shift.pk, "day": "2020-03-04", "person": duty.people[0].pk},
        format="json",
    )
    assert answer.status_code == 409
    reason = answer.json()["errors"][0]["reason"]
    assert "城内街东门志愿服务岗" in reason and "08:00–16:00" in reason
    assert "城内街西门志愿服务岗" in reason and "12:00–20:00" in reason
    assert answer.json()["assignment"] == first.pk
    assert Assignment.objects.count() == 1


def test_too_short_a_rest_is_refused(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    services.assign(actor=worker, shift=duty.evening, day=TODAY, person=duty.people[0])
    with pytest.raises(ValidationError) as refused:  # 16–24 then 00–08: no rest at all
        services.assign(
            actor=worker, shift=duty.night, day=TODAY + dt.timedelta(days=1), person=duty.people[0]
        )
    assert refused.value.error_dict["person"][0].code == "rest_too_short"
    # 16–24 then 08–16 the next day: 8 hours' rest is enough.
    services.assign(
        actor=worker, shift=duty.day, day=TODAY + dt.timedelta(days=1), person=duty.people[0]
    )
    api = world.api(worker)
    answer = api.post(
        "/api/v1/duty/assignments/",
        {"shift": duty.day.pk, "day": "2020-03-04", "person": duty.people[0].pk},
        format="json",
    )
    assert answer.status_code == 400  # 08–16 right before 16–24
    assert answer.json()["errors"][0]["code"] == "rest_too_short"


def test_a_person_who_starts_observation_drops_out_and_the_gap_appears(
    world: World, duty: Duty
) -> None:
    policy_seed_2020()
    worker = world.wanping_worker
    tomorrow = TODAY + dt.timedelta(days=1)
    for person in duty.people[:2]:
        services.assign(actor=worker, shift=duty.day, day=tomorrow, person=person)
    posts = Post.objects.filter(pk=duty.post.pk)

    def cell() -> selectors.Cell:
        return next(
            c for c in selectors.coverage(posts, tomorrow, tomorrow) if c.shift.pk == duty.day.pk
        )

    assert (cell().rostered, cell().gap) == (2, 0)
    assert not any(
        c.shift.pk == duty.day.pk and c.day == tomorrow for c in selectors.gaps_ahead(worker)
    )
    observation_start(
        actor=worker,
        person=duty.people[0].person,
        area=world.areas[WANPING_ZONE],
        mode="home",
        arrived_on=TODAY,
    )
    assert (cell().rostered, cell().gap) == (1, 1)
    assert any(
        c.shift.pk == duty.day.pk and c.day == tomorrow for c in selectors.gaps_ahead(worker)
    )
    # and they cannot be rostered again while observed
    with pytest.raises(ValidationError) as refused:
        services.assign(
            actor=worker, shift=duty.day, day=TODAY + dt.timedelta(days=3), person=duty.people[0]
        )
    assert refused.value.error_dict["person"][0].code == "under_observation"


def test_swap_and_copy_last_week(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    a = services.assign(actor=worker, shift=duty.day, day=TODAY, person=duty.people[0])
    b = services.assign(actor=worker, shift=duty.evening, day=TODAY, person=duty.people[1])
    answer = world.api(worker).post(
        "/api/v1/duty/assignments/swap/", {"first": a.pk, "other": b.pk}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.person, b.person) == (duty.people[1], duty.people[0])
    monday = selectors.week_of(TODAY) + dt.timedelta(days=7)
    answer = world.api(worker).post(
        f"/api/v1/duty/posts/{duty.post.pk}/copy-week/", {"week": str(monday)}, format="json"
    )
    assert answer.json() == {"copied": 2, "skipped": []}
    assert Assignment.objects.filter(day=TODAY + dt.timedelta(days=7)).count() == 2


def test_a_fever_today_refuses_and_copying_skips_whom_it_refuses(world: World, duty: Duty) -> None:
    from fangkong.arrivals.models import Alert, AlertKind

    worker = world.wanping_worker
    last_week = TODAY - dt.timedelta(days=7)
    for person in duty.people[:2]:
        services.assign(actor=worker, shift=duty.day, day=last_week, person=person)
    Alert.objects.create(
        area=world.areas[WANPING_ZONE], person=duty.people[0].person, kind=AlertKind.FEVER
    )
    with pytest.raises(ValidationError) as refused:
        services.assign(actor=worker, shift=duty.evening, day=TODAY, person=duty.people[0])
    assert refused.value.error_dict["person"][0].code == "fever"
    copied, skipped = services.copy_week(
        actor=worker, post=duty.post, week_start=selectors.week_of(TODAY)
    )
    assert copied == 1 and len(skipped) == 1 and "发热" in skipped[0]


def test_the_rest_between_shifts_follows_the_policy_in_force(world: World, duty: Duty) -> None:
    from fangkong.policy.models import PolicyVersion

    PolicyVersion.objects.update(duty_min_rest_hours=0)
    worker = world.wanping_worker
    services.assign(actor=worker, shift=duty.evening, day=TODAY, person=duty.people[0])
    # 16–24 then 00–08 the next day: allowed once the policy asks for no rest.
    services.assign(
        actor=worker, shift=duty.night, day=TODAY + dt.timedelta(days=1), person=duty.people[0]
    )
    # 00–08 then 16–24 the same day: 8 hours' rest, too short once the policy asks for 12.
    PolicyVersion.objects.update(duty_min_rest_hours=12)
    with pytest.raises(ValidationError) as refused:
        services.assign(
            actor=worker,
            shift=duty.evening,
            day=TODAY + dt.timedelta(days=1),
            person=duty.people[1],
        )
        services.assign(
            actor=worker,
            shift=duty.evening,
            day=TODAY + dt.timedelta(days=1),
            person=duty.people[0],
        )
    assert "12 小时" in refused.value.error_dict["person"][0].message


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(["assign", "unassign", "sign_in"]), st.integers(0, 2),
                  st.integers(0, 2), st.integers(0, 2)),
        min_size=1,
        max_size=12,
    )
)  # fmt: skip
def test_the_instance_numbers_always_match_the_lines(
    world: World, duty: Duty, steps: list[tuple[str, int, int, int]]
) -> None:
    """Whatever is planned, taken off and signed in, in any order, the numbers the coverage
    reads (`ShiftDay`) are those a recount of the roster lines and sign-ins gives."""
    Attendance.objects.all().delete()
    Assignment.objects.all().delete()
    ShiftDay.objects.all().delete()
    worker = world.wanping_worker
    shifts = [duty.night, duty.day, duty.evening]
    for action, s, d, p in steps:
        shift, day, person = shifts[s], TODAY + dt.timedelta(days=d), duty.people[p]
        line = Assignment.objects.filter(shift=shift, day=day, person=person).first()
        try:
            if action == "assign":
                services.assign(actor=worker, shift=shift, day=day, person=person)
            elif action == "unassign" and line is not None:
                services.unassign(actor=worker, assignment=line)
            elif action == "sign_in":
                services.sign_in(actor=worker, post=duty.post, person=person)
        except (Conflict, ValidationError):
            pass  # refused writes change nothing
    kept = {(r.shift_id, r.day): (r.rostered, r.signed_in) for r in ShiftDay.objects.all()}
    services.shift_days_rebuild()
    counted = {(r.shift_id, r.day): (r.rostered, r.signed_in) for r in ShiftDay.objects.all()}
    assert {k: v for k, v in kept.items() if v != (0, 0)} == counted
