"""Call tasks are worked: assigned (and "mine"), each try counted with its outcome, open
until the person is reached or the number is found wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fangkong.arrivals.models import CallTask, CallTaskStatus
from fangkong.arrivals.observation.services import observation_start
from fangkong.policy.services import policy_seed_2020
from tests.conftest import WANPING, ZHENGUOSI, World, make_account
from tests.factories import make_person


@pytest.fixture
def task(world: World) -> CallTask:
    policy_seed_2020()
    person = make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "漏报者")
    today = dt.date.today()
    observation = observation_start(
        actor=world.zhenguosi_worker,
        person=person,
        area=world.areas[ZHENGUOSI],
        mode="home",
        arrived_on=today - dt.timedelta(days=3),
    )
    return CallTask.objects.create(
        observation=observation, on=today - dt.timedelta(days=1), missed="morning"
    )


def test_a_task_is_assigned_and_shows_as_mine(world: World, task: CallTask) -> None:
    cadre = make_account("wang_ying", "cadre", ZHENGUOSI)
    api = world.api(world.zhenguosi_worker)
    given = api.post(f"/api/v1/call-tasks/{task.pk}/assign/", {"assignee": cadre.pk}, format="json")
    assert given.status_code == 200 and given.json()["assignee"] == "wang_ying"
    mine = world.api(cadre).get("/api/v1/call-tasks/", {"state": "mine"}).json()["results"]
    assert [t["id"] for t in mine] == [task.pk]
    assert (
        world.api(world.zhenguosi_worker)
        .get("/api/v1/call-tasks/", {"state": "mine"})
        .json()["results"]
        == []
    )
    home = world.client(cadre).get("/").content.decode()
    assert "分配给我的电话询问" in home and "/arrivals/tasks/?state=mine" in home
    # Someone of another community cannot be given the call.
    outsider = make_account("wp_worker_2", "community_worker", WANPING)
    refused = api.post(
        f"/api/v1/call-tasks/{task.pk}/assign/", {"assignee": outsider.pk}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "assignee"


def test_tries_are_counted_until_the_person_is_reached(world: World, task: CallTask) -> None:
    api = world.api(world.zhenguosi_worker)
    url = f"/api/v1/call-tasks/{task.pk}/attempts/"
    first = api.post(url, {"outcome": "no_answer"}, format="json")
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["attempts"]) == ("open", 1)
    assert api.post(url, {"outcome": "answered"}, format="json").status_code == 400  # no note
    done = api.post(url, {"outcome": "answered", "note": "忘记填报，体温 36.6°C"}, format="json")
    assert (done.json()["status"], done.json()["attempts"], done.json()["outcome"]) == (
        "done",
        2,
        "answered",
    )
    assert api.post(url, {"outcome": "no_answer"}, format="json").status_code == 400
    bad = api.post(f"/api/v1/call-tasks/{task.pk}/attempts/", {"outcome": "maybe"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "outcome"


def test_the_page_records_a_try_and_assigns(world: World, task: CallTask) -> None:
    page = world.client(world.zhenguosi_worker)
    listed = page.get("/arrivals/tasks/").content.decode()
    assert 'data-outcome="no_answer"' in listed and 'name="assignee"' in listed
    page.post(f"/arrivals/tasks/{task.pk}/attempt/", {"outcome": "switched_off"})
    page.post(f"/arrivals/tasks/{task.pk}/assign/", {"assignee": world.zhenguosi_worker.pk})
    task.refresh_from_db()
    assert (task.attempts, task.outcome, task.status) == (1, "switched_off", CallTaskStatus.OPEN)
    assert task.assignee == world.zhenguosi_worker
    listed = page.get("/arrivals/tasks/", {"state": "mine"}).content.decode()
    assert "已拨打 1 次" in listed and "我负责" in listed


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migrations_restored")
def test_a_days_two_slot_rows_merge_into_one_keeping_the_work_done(world: World) -> None:
    """Migration 0004: tasks raised per slot before become one per person per day; the row
    someone worked on is kept, with the tries of both."""
    before, after = [("arrivals", "0003_call_task_work")], [("arrivals", "0004_call_task_per_day")]
    policy_seed_2020()
    person = make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "漏报者")
    today = dt.date.today()
    observation = observation_start(
        actor=world.zhenguosi_worker,
        person=person,
        area=world.areas[ZHENGUOSI],
        mode="home",
        arrived_on=today - dt.timedelta(days=3),
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("arrivals", "CallTask")
    day1, day2 = today - dt.timedelta(days=2), today - dt.timedelta(days=1)
    old.objects.create(observation_id=observation.pk, on=day1, slot="morning")
    worked = old.objects.create(
        observation_id=observation.pk,
        on=day1,
        slot="evening",
        attempts=2,
        assignee_id=world.zhenguosi_worker.pk,
    )
    old.objects.create(observation_id=observation.pk, on=day2, slot="evening", attempts=1)

    MigrationExecutor(connection).migrate(after)

    rows = CallTask.objects.order_by("on").values_list("pk", "on", "missed", "attempts", "assignee")
    assert list(rows) == [
        (worked.pk, day1, "both", 2, world.zhenguosi_worker.pk),
        (rows[1][0], day2, "evening", 1, None),
    ]
