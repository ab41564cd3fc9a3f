"""The coverage contract: GET /api/v1/duty/coverage/?area=&from=&to= → per post and shift:
needed, rostered, signed in, gap; 400 naming the parameter; scoped (another community's
posts are not there, its post pages are 404); the 工作台 shows the gap to the planner."""

from __future__ import annotations

import datetime as dt

import pytest

from fangkong.duty import services
from tests.conftest import WANPING, ZHENGUOSI, World
from tests.duty.conftest import TODAY, Duty, at


def test_coverage_per_post_and_shift(world: World, duty: Duty) -> None:
    worker = world.wanping_worker
    services.assign(actor=worker, shift=duty.day, day=TODAY, person=duty.people[0])
    services.assign(actor=worker, shift=duty.day, day=TODAY, person=duty.people[1])
    services.sign_in(actor=worker, post=duty.post, person=duty.people[0], now=at(TODAY, 8))
    answer = world.api(worker).get(
        f"/api/v1/duty/coverage/?area={WANPING}&from=2020-03-04&to=2020-03-05"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["area"], body["from"], body["to"]) == (WANPING, "2020-03-04", "2020-03-05")
    (post,) = body["posts"]
    assert post["name"] == "城内街东门志愿服务岗"
    assert [(s["name"], s["starts"], s["hours"], s["needed"]) for s in post["shifts"]] == [
        ("夜班", "00:00", 8, 2),
        ("白班", "08:00", 8, 2),
        ("晚班", "16:00", 8, 2),
    ]
    night, day, _evening = post["shifts"]
    assert day["days"] == [
        {"day": "2020-03-04", "rostered": 2, "signed_in": 1, "gap": 0},
        {"day": "2020-03-05", "rostered": 0, "signed_in": 0, "gap": 2},
    ]
    assert night["days"][1] == {"day": "2020-03-05", "rostered": 0, "signed_in": 0, "gap": 2}
    # the defaults: the caller's area, today and the six days after
    default = world.api(worker).get("/api/v1/duty/coverage/").json()
    assert (default["from"], default["to"]) == ("2020-03-04", "2020-03-10")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2020-02-30", "from"),
        ("from=yesterday", "from"),
        ("to=2020-3-x", "to"),
        ("from=2020-03-05&to=2020-03-04", "to"),
        ("from=2020-03-01&to=2020-05-01", "to"),
        (f"area={ZHENGUOSI}", "area"),
        ("area=nonsense", "area"),
    ],
)
def test_coverage_bad_input_is_a_400_naming_the_parameter(
    world: World, duty: Duty, query: str, field: str
) -> None:
    answer = world.api(world.wanping_worker).get(f"/api/v1/duty/coverage/?{query}")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == field


def test_coverage_is_one_handful_of_queries(
    world: World, duty: Duty, django_assert_max_num_queries: object
) -> None:
    for n in range(3):
        services.post_create(actor=world.wanping_worker, area=duty.post.area, name=f"临时岗{n}")
    api = world.api(world.district_officer)
    api.get("/api/v1/duty/coverage/?area=110106")  # warm the token cache
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert api.get("/api/v1/duty/coverage/?area=110106").status_code == 200


def test_another_community_sees_nothing(world: World, duty: Duty) -> None:
    other = world.zhenguosi_worker
    assert world.api(other).get("/api/v1/duty/coverage/").json()["posts"] == []
    assert world.api(other).get("/api/v1/duty/posts/").json() == []
    assert world.client(other).get(f"/duty/posts/{duty.post.pk}/").status_code == 404
    assert world.api(other).get(f"/api/v1/duty/posts/{duty.post.pk}/week/").status_code == 404
    line = services.assign(
        actor=world.wanping_worker, shift=duty.day, day=TODAY, person=duty.people[0]
    )
    assert world.api(other).delete(f"/api/v1/duty/assignments/{line.pk}/").status_code == 404
    officer = world.api(world.wanping_officer)
    assert len(officer.get("/api/v1/duty/posts/").json()) == 1
    assert officer.delete(f"/api/v1/duty/assignments/{line.pk}/").status_code == 403  # reads only


def test_the_gap_is_on_the_planners_workbench_and_filling_it_clears_it(
    world: World, duty: Duty
) -> None:
    worker = world.wanping_worker
    tomorrow = TODAY + dt.timedelta(days=1)
    for shift in (duty.night, duty.day, duty.evening):
        for d in range(-1, 8):
            for k, person in enumerate(duty.people[:2]):
                day = TODAY + dt.timedelta(days=d)
                if (shift, day, k) == (duty.evening, tomorrow, 1):
                    continue
                if shift is duty.night:
                    continue
                try:
                    services.assign(actor=worker, shift=shift, day=day, person=person)
                except Exception:
                    continue
    home = world.client(worker).get("/")
    assert "值守缺口" in home.content.decode()
    from fangkong.duty.workbench import items

    (item,) = items(worker, TODAY)
    assert f"/duty/posts/{duty.post.pk}/" in item.url and "gap=" in item.url
    assert items(world.zhenguosi_worker, TODAY) == []
    assert items(world.guard, TODAY) == []
    page = world.client(worker).get(item.url)
    assert page.status_code == 200 and 'data-gap="' in page.content.decode()
