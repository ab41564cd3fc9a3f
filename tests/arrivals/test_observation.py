"""Observation, health reports, alerts, call tasks and `fangkong daily`, with time travel.

Day counting under test: arrival on 2020-02-20 is day 1; with 14 days the last day is
2020-03-04; `daily_run(on=2020-03-05)` releases, `daily_run(on=2020-03-04)` does not."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.arrivals.health.services import (
    ReportResult,
    report_submit,
    self_report_submit,
    self_report_token,
)
from fangkong.arrivals.models import (
    Alert,
    AlertKind,
    ArrivalNotice,
    CallTask,
    CallTaskStatus,
    FiledBy,
    HealthReport,
    MissedSlots,
    NoticePerson,
    NoticeStatus,
    Observation,
    ObservationEvent,
    ObservationMode,
    ObservationStatus,
    Slot,
)
from fangkong.arrivals.observation.services import (
    SYSTEM_NAME,
    notice_arrive,
    observation_cancel,
    observation_extend,
    observation_release,
    observation_shorten,
    observation_start,
    observation_to_hospital,
)
from fangkong.core.temperature import parse_temperature
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Person, Whereabouts
from fangkong.site.services import DailyResult, daily_run
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World, make_account
from tests.factories import make_person

SH = ZoneInfo("Asia/Shanghai")
ARRIVAL = dt.date(2020, 2, 20)
LAST_DAY = dt.date(2020, 3, 4)
RELEASE_ON = dt.date(2020, 3, 5)


@contextmanager
def at(day: dt.date, hour: int = 9, minute: int = 0) -> Iterator[None]:
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SH)
    with time_machine.travel(moment, tick=False):
        yield


def _jobs(result: DailyResult) -> dict[str, int]:
    """The observation steps' counts (the figures step writes report rows too)."""
    return {name: result.counts[name] for name in ("call_tasks", "released")}


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@pytest.fixture
def doctor(world: World) -> User:
    return make_account("wanping_doctor", Role.MEDICAL_STAFF, WANPING)


@pytest.fixture
def person(world: World) -> Person:
    policy_seed_2020()  # a transactional test before this one flushed the seeded policy
    return make_person(
        world.wanping_worker, world.areas[WANPING_ZONE], "张小明", building="城内街8号院"
    )


def start(world: World, person: Person, arrived_on: dt.date = ARRIVAL, **kw: Any) -> Observation:
    with at(arrived_on, 10):
        return observation_start(
            actor=world.wanping_worker,
            person=person,
            area=world.areas[WANPING_ZONE],
            mode=ObservationMode.HOME,
            arrived_on=arrived_on,
            **kw,
        )


def report(
    observation: Observation,
    on: dt.date,
    slot: str = Slot.MORNING,
    temperature: Any = "36.5",
    symptoms: list[str] | None = None,
    **kw: Any,
) -> ReportResult:
    with at(on, 8 if slot == Slot.MORNING else 20):
        return report_submit(
            observation=observation,
            on=on,
            slot=slot,
            temperature=temperature,
            symptoms=symptoms,
            by_self=kw.pop("by_self", True),
            **kw,
        )


def fields_of(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


# --- the life cycle -------------------------------------------------------------------------
def test_it_counts_the_arrival_day_as_day_one_and_releases_on_day_fifteen(
    world: World, person: Person
) -> None:
    observation = start(world, person)
    assert (observation.days, observation.last_day, observation.release_on) == (
        14,
        LAST_DAY,
        RELEASE_ON,
    )
    assert observation.day_number(ARRIVAL) == 1 and observation.day_number(LAST_DAY) == 14
    for day in days(ARRIVAL, LAST_DAY):
        for slot in (Slot.MORNING, Slot.EVENING):
            assert report(observation, day, slot).created
    assert HealthReport.objects.filter(observation=observation).count() == 28

    # The morning of 2020-03-05, before the daily job: still active, but day 15 is not an
    # observation day any more, so no report is taken for it.
    with at(RELEASE_ON, 0, 5):
        observation.refresh_from_db()
        assert observation.status == ObservationStatus.ACTIVE
    with pytest.raises(ValidationError) as err:
        report(observation, RELEASE_ON)
    assert fields_of(err) == {"on"}

    with at(LAST_DAY, 23, 50):
        assert _jobs(daily_run(on=LAST_DAY)) == {"call_tasks": 0, "released": 0}
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.ACTIVE

    with at(RELEASE_ON, 0, 10):
        result = daily_run(on=RELEASE_ON)
    assert _jobs(result) == {"call_tasks": 0, "released": 1}
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.RELEASED
    assert observation.ended_on == RELEASE_ON
    event = observation.events.get(action="release")
    assert (event.from_status, event.to_status, event.actor, event.actor_name) == (
        ObservationStatus.ACTIVE,
        ObservationStatus.RELEASED,
        None,
        SYSTEM_NAME,
    )
    # Idempotent: again, and again later, nothing more.
    with at(RELEASE_ON, 8):
        assert _jobs(daily_run(on=RELEASE_ON)) == {"call_tasks": 0, "released": 0}
    with at(dt.date(2020, 3, 9)):
        assert _jobs(daily_run(on=dt.date(2020, 3, 9))) == {"call_tasks": 0, "released": 0}
    assert observation.events.filter(action="release").count() == 1


def test_the_start_is_logged_with_who_and_the_person_is_back(world: World) -> None:
    away = make_person(
        world.wanping_worker,
        world.areas[WANPING_ZONE],
        "李未归",
        whereabouts=Whereabouts.NOT_BACK,
        away_from="河北省",
    )
    observation = start(world, away)
    event = observation.events.get()
    assert (event.action, event.actor, event.to_status) == ("start", world.wanping_worker, "active")
    away.refresh_from_db()
    assert (away.whereabouts, away.away_from) == (Whereabouts.IN_BEIJING, "")


def test_arrival_from_a_ready_notice_starts_one_observation_per_person(world: World) -> None:
    area = world.areas[WANPING]
    workers = [make_person(world.wanping_worker, area, f"工人{i}") for i in range(6)]
    notice = ArrivalNotice.objects.create(
        area=area,
        filed_by=FiledBy.EMPLOYER,
        filer_name="地铁16号线项目部",
        origin_code="130000",
        origin_name="河北省",
        planned_on=ARRIVAL,
        mode=ObservationMode.UNIT,
        status=NoticeStatus.INSPECTION,
        observation_days=14,
    )
    for w in workers:
        NoticePerson.objects.create(notice=notice, person=w, name=w.name)
    with at(ARRIVAL), pytest.raises(ValidationError) as err:
        notice_arrive(actor=world.wanping_worker, notice=notice, arrived_on=ARRIVAL)
    assert fields_of(err) == {"notice"}
    ArrivalNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.READY)
    with at(ARRIVAL):
        made = notice_arrive(actor=world.wanping_worker, notice=notice, arrived_on=ARRIVAL)
    assert len(made) == 6
    assert {o.last_day for o in made} == {LAST_DAY}
    assert {o.mode for o in made} == {ObservationMode.UNIT}
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ARRIVED
    with at(ARRIVAL), pytest.raises(ValidationError) as err:
        notice_arrive(actor=world.wanping_worker, notice=notice, arrived_on=ARRIVAL)
    assert "已登记到京" in str(err.value)


def test_an_unannounced_arrival_may_arrive_while_the_inspection_is_open(world: World) -> None:
    area = world.areas[WANPING]
    notice = ArrivalNotice.objects.create(
        area=area,
        filed_by=FiledBy.WORKER,
        filer_name="门岗",
        origin_code="130000",
        origin_name="河北省",
        planned_on=ARRIVAL,
        mode=ObservationMode.HOME,
        status=NoticeStatus.INSPECTION,
        unannounced=True,
    )
    NoticePerson.objects.create(notice=notice, name="未登记的人")
    with at(ARRIVAL), pytest.raises(ValidationError) as err:
        notice_arrive(actor=world.wanping_worker, notice=notice, arrived_on=ARRIVAL)
    assert fields_of(err) == {"people"} and "未登记的人" in str(err.value)
    p = make_person(world.wanping_worker, area, "补登记")
    NoticePerson.objects.filter(notice=notice).update(person=p)
    with at(ARRIVAL):
        (made,) = notice_arrive(actor=world.wanping_worker, notice=notice, arrived_on=ARRIVAL)
    assert made.notice == notice and made.days == 14


# --- fever and symptoms ---------------------------------------------------------------------
def test_a_fever_raises_an_alert_the_medical_account_sees(
    world: World, person: Person, doctor: User
) -> None:
    observation = start(world, person)
    result = report(observation, dt.date(2020, 2, 22), Slot.MORNING, "37.5")
    assert result.alert is not None and result.alert.kind == AlertKind.FEVER
    assert result.alert.area == world.areas[WANPING_ZONE]

    with at(dt.date(2020, 2, 22), 10):
        alerts = world.api(doctor).get("/api/v1/alerts/?state=open").json()["results"]
        assert [(a["kind"], a["temperature"], a["person"]["name"]) for a in alerts] == [
            ("fever", "37.5", "张小明")
        ]
        assert "*" in alerts[0]["person"]["phone"]  # masked
        assert world.api(world.zhenguosi_worker).get("/api/v1/alerts/").json()["results"] == []
        listed = world.api(doctor).get("/api/v1/observations/?due=fever").json()["results"]
        assert [o["id"] for o in listed] == [observation.pk]
        # Community workers cannot handle alerts; the doctor can, once.
        url = f"/api/v1/alerts/{result.alert.pk}/handle/"
        assert world.api(world.wanping_worker).post(url, {"handling": "x"}).status_code == 403
        empty = world.api(doctor).post(url, {"handling": " "}, format="json")
        assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "handling"
        done = world.api(doctor).post(url, {"handling": "已上门复测 36.9°C"}, format="json")
        assert done.status_code == 200 and done.json()["handled_by"] == "wanping_doctor"
        again = world.api(doctor).post(url, {"handling": "再次"}, format="json")
        assert again.status_code == 400 and again.json()["errors"][0]["field"] == "alert"
        assert world.api(doctor).get("/api/v1/observations/?due=fever").json()["results"] == []


def test_the_threshold_and_symptoms_decide_alerts(world: World, person: Person) -> None:
    observation = start(world, person)
    day = dt.date(2020, 2, 21)
    assert report(observation, day, Slot.MORNING, "37.2").alert is None
    exact = report(observation, day, Slot.EVENING, Decimal("37.3")).alert
    assert exact is not None and exact.kind == AlertKind.FEVER
    cough = report(observation, dt.date(2020, 2, 22), Slot.MORNING, 36.8, ["cough", "fatigue"])
    assert cough.alert is not None and cough.alert.kind == AlertKind.SYMPTOM
    assert cough.alert.detail == "咳嗽、乏力"
    assert Alert.objects.count() == 2


# --- missed reports become call tasks ---------------------------------------------------------
def test_a_missed_report_becomes_one_call_task(world: World, person: Person) -> None:
    observation = start(world, person)
    report(observation, ARRIVAL, Slot.EVENING)
    report(observation, dt.date(2020, 2, 21), Slot.MORNING)
    # The arrival day's morning is not owed: nothing to call about on 2020-02-21.
    with at(dt.date(2020, 2, 21), 0, 10):
        assert daily_run(on=dt.date(2020, 2, 21)).counts["call_tasks"] == 0
    with at(dt.date(2020, 2, 22), 0, 10):
        dry = daily_run(on=dt.date(2020, 2, 22), dry_run=True)
        assert dry.counts["call_tasks"] == 1 and CallTask.objects.count() == 0
        assert daily_run(on=dt.date(2020, 2, 22)).counts["call_tasks"] == 1
        assert daily_run(on=dt.date(2020, 2, 22)).counts["call_tasks"] == 0
    task = CallTask.objects.get()
    assert (task.observation, task.on, task.missed, task.status) == (
        observation,
        dt.date(2020, 2, 21),
        MissedSlots.EVENING,
        CallTaskStatus.OPEN,
    )
    with at(dt.date(2020, 2, 22), 9):
        api = world.api(world.wanping_worker)
        listed = api.get("/api/v1/call-tasks/").json()["results"]
        assert [t["id"] for t in listed] == [task.pk]
        assert world.api(world.zhenguosi_worker).get("/api/v1/call-tasks/").json()["results"] == []
        url = f"/api/v1/call-tasks/{task.pk}/done/"
        assert api.post(url, {"note": ""}, format="json").json()["errors"][0]["field"] == "note"
        done = api.post(url, {"note": "忘记填报，电话询问体温 36.6°C"}, format="json")
        assert done.status_code == 200 and done.json()["status"] == "done"
        assert api.post(url, {"note": "again"}, format="json").status_code == 400
        # The worker records the temperature learnt on the call.
        made = api.post(
            f"/api/v1/observations/{observation.pk}/reports/",
            {"on": "2020-02-22", "slot": "morning", "temperature": 36.6},
            format="json",
        )
        assert made.status_code == 201 and made.json()["by_self"] is False
        assert made.json()["recorded_by"] == "wanping_worker"


def test_a_day_with_both_reports_missed_is_one_call(world: World, person: Person) -> None:
    observation = start(world, person)
    report(observation, ARRIVAL, Slot.EVENING)
    with at(dt.date(2020, 2, 22), 0, 10):
        assert daily_run(on=dt.date(2020, 2, 22), dry_run=True).counts["call_tasks"] == 1
        assert daily_run(on=dt.date(2020, 2, 22)).counts["call_tasks"] == 1
        assert daily_run(on=dt.date(2020, 2, 22)).counts["call_tasks"] == 0
    task = CallTask.objects.get()
    assert (task.on, task.missed) == (dt.date(2020, 2, 21), MissedSlots.BOTH)
    with at(dt.date(2020, 2, 22), 9):
        listed = world.api(world.wanping_worker).get("/api/v1/call-tasks/").json()["results"]
        assert [(t["on"], t["missed"]) for t in listed] == [("2020-02-21", "both")]
        page = world.client(world.wanping_worker).get("/arrivals/tasks/")
        assert "02-21 全天未报" in page.content.decode()


def test_the_command_prints_a_summary_and_honours_dry_run(
    world: World, person: Person, capsys: pytest.CaptureFixture[str]
) -> None:
    observation = start(world, person)
    with at(RELEASE_ON, 0, 10):
        call_command("daily", "--date", "2020-03-05", "--dry-run")
        out = capsys.readouterr().out
        assert "试运行" in out and "到期解除观察: 1" in out
        observation.refresh_from_db()
        assert observation.status == ObservationStatus.ACTIVE
        call_command("daily", verbosity=2)
        out = capsys.readouterr().out
        assert "2020-03-05" in out and "到期解除观察: 1" in out and "秒" in out
        call_command("daily", verbosity=0)
        assert capsys.readouterr().out == ""
    observation.refresh_from_db()
    assert observation.status == ObservationStatus.RELEASED
    # The last day was missed too: one call task was raised before release.
    task = CallTask.objects.get(observation=observation, on=LAST_DAY)
    assert task.missed == MissedSlots.BOTH


# --- extension, shortening, second observation ----------------------------------------------
def test_extension_by_seven_days_keeps_reason_and_who(world: World, person: Person) -> None:
    observation = start(world, person)
    with at(dt.date(2020, 3, 1)):
        with pytest.raises(ValidationError) as err:
            observation_extend(
                actor=world.wanping_worker, observation=observation, days=7, reason="  "
            )
        assert fields_of(err) == {"reason"}
        extended = observation_extend(
            actor=world.wanping_worker, observation=observation, days=7, reason="同住人发热"
        )
    assert (extended.days, extended.last_day, extended.release_on) == (
        21,
        dt.date(2020, 3, 11),
        dt.date(2020, 3, 12),
    )
    event = extended.events.get(action="extend")
    assert (event.days_before, event.days_after, event.reason, event.actor) == (
        14,
        21,
        "同住人发热",
        world.wanping_worker,
    )
    with at(RELEASE_ON, 0, 10):
        assert daily_run(on=RELEASE_ON).counts["released"] == 0
    with at(dt.date(2020, 3, 12), 0, 10):
        assert daily_run(on=dt.date(2020, 3, 12)).counts["released"] == 1


def test_shortening_cannot_reach_back_before_yesterday(world: World, person: Person) -> None:
    observation = start(world, person)
    with at(dt.date(2020, 3, 1)):
        with pytest.raises(ValidationError) as err:
            observation_shorten(
                actor=world.wanping_worker, observation=observation, days=5, reason="政策调整"
            )
        assert fields_of(err) == {"days"} and "最多可缩短 4 天" in str(err.value)
        shortened = observation_shorten(
            actor=world.wanping_worker, observation=observation, days=4, reason="政策调整"
        )
    assert (shortened.days, shortened.last_day) == (10, dt.date(2020, 2, 29))
    with at(dt.date(2020, 3, 1), 10):
        released = observation_release(
            actor=world.wanping_worker, observation=shortened, on=dt.date(2020, 3, 1)
        )
    assert released.status == ObservationStatus.RELEASED
    assert [e.action for e in released.events.all()] == ["start", "shorten", "release"]


def test_a_second_observation_after_release_leaves_the_old_row_alone(
    world: World, person: Person
) -> None:
    first = start(world, person)
    with pytest.raises(ValidationError) as err:
        start(world, person, dt.date(2020, 2, 25))
    assert fields_of(err) == {"person"}
    with at(RELEASE_ON, 0, 10):
        daily_run(on=RELEASE_ON)
    first.refresh_from_db()
    snapshot = {f.attname: getattr(first, f.attname) for f in Observation._meta.concrete_fields}
    second = start(world, person, dt.date(2020, 4, 1))
    assert second.pk != first.pk and second.status == ObservationStatus.ACTIVE
    assert second.last_day == dt.date(2020, 4, 14)
    report(second, dt.date(2020, 4, 2))
    first.refresh_from_db()
    assert {f.attname: getattr(first, f.attname) for f in Observation._meta.concrete_fields} == (
        snapshot
    )
    assert first.reports.count() == 0 and second.reports.count() == 1
    assert Observation.objects.filter(person=person).count() == 2


# --- state machine -------------------------------------------------------------------------------
def test_the_state_machine_refuses_what_it_must(world: World, person: Person) -> None:
    observation = start(world, person)
    worker = world.wanping_worker
    with at(LAST_DAY, 15):
        with pytest.raises(ValidationError) as err:
            observation_release(actor=worker, observation=observation, on=LAST_DAY)
        assert fields_of(err) == {"on"} and "2020-03-05 起才能解除" in str(err.value)
        with pytest.raises(ValidationError) as err:
            observation_cancel(actor=worker, observation=observation, reason="")
        assert fields_of(err) == {"reason"}
    with at(RELEASE_ON, 10):
        observation_release(actor=worker, observation=observation, on=RELEASE_ON)
        for call in (
            lambda: observation_extend(actor=worker, observation=observation, days=7, reason="x"),
            lambda: observation_shorten(actor=worker, observation=observation, days=1, reason="x"),
            lambda: observation_release(actor=worker, observation=observation, on=RELEASE_ON),
            lambda: observation_to_hospital(
                actor=worker, observation=observation, on=RELEASE_ON, reason="x"
            ),
            lambda: observation_cancel(actor=worker, observation=observation, reason="x"),
        ):
            with pytest.raises(ValidationError) as err:
                call()
            assert fields_of(err) == {"observation"} and "已解除" in str(err.value)
    assert observation.events.count() == 2  # start, release: refusals leave nothing


def test_hospital_and_cancel_end_an_observation_with_a_reason(world: World, person: Person) -> None:
    observation = start(world, person)
    with at(dt.date(2020, 2, 23)):
        sent = observation_to_hospital(
            actor=world.wanping_worker,
            observation=observation,
            on=dt.date(2020, 2, 23),
            reason="发热，送丰台医院发热门诊",
        )
    assert (sent.status, sent.ended_on) == (ObservationStatus.HOSPITAL, dt.date(2020, 2, 23))
    other = make_person(world.wanping_worker, world.areas[WANPING], "登记错的人")
    wrong = start(world, other)
    with at(ARRIVAL, 11):
        cancelled = observation_cancel(
            actor=world.wanping_worker, observation=wrong, reason="人员登记错误"
        )
    assert cancelled.status == ObservationStatus.CANCELLED
    event = cancelled.events.get(action="cancel")
    assert (event.reason, event.actor_name) == ("人员登记错误", "wanping_worker")


def test_start_refuses_bad_input(world: World, person: Person) -> None:
    with at(ARRIVAL):
        for kwargs, field_name in [
            ({"arrived_on": dt.date(2020, 2, 21)}, "arrived_on"),  # tomorrow
            ({"arrived_on": dt.date(2020, 2, 1)}, "arrived_on"),  # observation already over
            ({"mode": "boat"}, "mode"),
            ({"days": 0}, "days"),
            ({"area": world.areas["110106014"]}, "area"),  # a street, not a community
        ]:
            values: dict[str, Any] = {
                "actor": world.wanping_worker,
                "person": person,
                "area": world.areas[WANPING_ZONE],
                "mode": ObservationMode.HOME,
                "arrived_on": ARRIVAL,
                **kwargs,
            }
            with pytest.raises(ValidationError) as err:
                observation_start(**values)
            assert fields_of(err) == {field_name}, kwargs
    assert not Observation.objects.exists()


# --- bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize("value", [45, 30, "abc", "", None, "NaN", "42.06"])
def test_bad_temperatures_are_refused_naming_the_field(
    world: World, person: Person, value: Any
) -> None:
    observation = start(world, person)
    with pytest.raises(ValidationError) as err:
        report(observation, dt.date(2020, 2, 21), temperature=value)
    assert fields_of(err) == {"temperature"}
    assert not HealthReport.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("37.5", "37.5"), ("３７．５℃", "37.5"), ("37,5", "37.5"), (36.55, "36.6"), (42, "42.0")],
)
def test_temperatures_are_read_as_people_type_them(value: Any, expected: str) -> None:
    assert parse_temperature(value) == Decimal(expected)


def test_bad_temperatures_over_the_api_name_the_field(world: World, person: Person) -> None:
    observation = start(world, person)
    url = f"/api/v1/observations/{observation.pk}/reports/"
    with at(dt.date(2020, 2, 21), 9):
        for value in (45, 30, "abc"):
            response = world.api(world.wanping_worker).post(
                url, {"temperature": value}, format="json"
            )
            assert response.status_code == 400
            assert response.json()["errors"][0]["field"] == "temperature", value
            assert "体温" in response.json()["errors"][0]["reason"]
        other = world.api(world.zhenguosi_worker).post(url, {"temperature": 36.5}, format="json")
        assert other.status_code == 404
    assert not HealthReport.objects.exists()


def test_a_report_for_a_released_or_wrong_day_is_refused(world: World, person: Person) -> None:
    observation = start(world, person)
    with pytest.raises(ValidationError) as err:
        report(observation, dt.date(2020, 2, 19))
    assert fields_of(err) == {"on"}
    with at(dt.date(2020, 2, 21), 9), pytest.raises(ValidationError) as err:
        report_submit(
            observation=observation,
            on=dt.date(2020, 2, 22),
            slot=Slot.MORNING,
            temperature="36.5",
            symptoms=[],
            by_self=True,
        )
    assert fields_of(err) == {"on"}
    with at(dt.date(2020, 2, 21), 9), pytest.raises(ValidationError) as err:
        report_submit(
            observation=observation,
            on=dt.date(2020, 2, 21),
            slot=Slot.EVENING,
            temperature="36.5",
            symptoms=["sneezing"],
            by_self=True,
        )
    assert fields_of(err) == {"slot", "symptoms"}
    with at(RELEASE_ON, 0, 10):
        daily_run(on=RELEASE_ON)
    with at(RELEASE_ON, 9), pytest.raises(ValidationError) as err:
        report_submit(
            observation=observation,
            on=LAST_DAY,
            slot=Slot.EVENING,
            temperature="36.5",
            symptoms=[],
            by_self=True,
        )
    assert fields_of(err) == {"observation"} and "已解除" in str(err.value)
    assert not HealthReport.objects.exists()


def test_the_same_slot_twice_keeps_one_record(world: World, person: Person) -> None:
    observation = start(world, person)
    first = report(observation, dt.date(2020, 2, 21), Slot.MORNING, "37.6")
    second = report(observation, dt.date(2020, 2, 21), Slot.MORNING, "36.5")
    assert first.created and not second.created
    assert second.report.pk == first.report.pk and second.report.temperature == Decimal("37.6")
    assert second.alert == first.alert
    assert HealthReport.objects.count() == 1 and Alert.objects.count() == 1


# --- self-report links ----------------------------------------------------------------------------
def test_the_self_report_page_takes_a_report_once(world: World, person: Person) -> None:
    from django.test import Client

    observation = start(world, person)
    with at(ARRIVAL, 10):
        token = self_report_token(observation=observation)
    url = f"/r/report/{token}/"
    with at(dt.date(2020, 2, 22), 9):
        client = Client()
        page = client.get(url).content.decode()
        assert (
            "张**" in page and "张小明" not in page and '第 <strong id="day">3</strong> 天' in page
        )
        assert 'inputmode="decimal"' in page
        bad = client.post(url, {"temperature": "45"})
        assert bad.status_code == 400 and "不在 34.0–42.0°C 之间" in bad.content.decode()
        done = client.post(url, {"temperature": "37.5"}).content.decode()
        assert "已收到，第 3 天上午体温 37.5°C" in done and "体温偏高，社区医生会尽快联系您" in done
        again = client.post(url, {"temperature": "36.5"}).content.decode()
        assert "本时段已经报过" in again and "37.5°C" in again
        assert "已经报过了" in client.get(url).content.decode()
    assert HealthReport.objects.count() == 1
    assert Alert.objects.get().kind == AlertKind.FEVER


def test_the_self_report_api_takes_a_report_once(world: World, person: Person) -> None:
    from rest_framework.test import APIClient

    observation = start(world, person)
    token = self_report_token(observation=observation)
    url = f"/api/v1/self-reports/{token}/"
    with at(dt.date(2020, 2, 21), 20):
        api = APIClient()
        state = api.get(url).json()
        assert (state["name"], state["day"], state["slot"]) == ("张**", 2, "evening")
        first = api.post(url, {"temperature": "36.7", "symptoms": ["cough"]}, format="json")
        assert first.status_code == 201 and first.json()["already_received"] is False
        second = api.post(url, {"temperature": "36.7"}, format="json")
        assert second.status_code == 200 and second.json()["already_received"] is True
        bad = api.post(url, {"temperature": "abc"}, format="json")
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "temperature"
    assert HealthReport.objects.count() == 1 and Alert.objects.get().kind == AlertKind.SYMPTOM


def test_forged_and_expired_links_get_a_clear_page(world: World, person: Person) -> None:
    from django.test import Client

    observation = start(world, person)
    with at(ARRIVAL, 10):
        token = self_report_token(observation=observation)
    forged_id = token.replace(f"{observation.pk}:", f"{observation.pk + 1}:", 1)
    client = Client()
    with at(dt.date(2020, 2, 22)):
        for bad in (forged_id, token[:-2] + "xx", "abc", "1:2:3"):
            response = client.get(f"/r/report/{bad}/")
            assert response.status_code == 400, bad
            assert "链接无效" in response.content.decode()
            api = client.post(f"/api/v1/self-reports/{bad}/", {"temperature": "36.5"})
            assert api.status_code == 400 and api.json()["errors"][0]["field"] == "token"
    # Still active (the daily job did not run), but past the release day: expired.
    with at(RELEASE_ON, 23, 59):
        assert client.get(f"/r/report/{token}/").status_code == 200
    with at(RELEASE_ON + dt.timedelta(days=1), 0, 1):
        response = client.get(f"/r/report/{token}/")
        assert response.status_code == 403 and "已过期" in response.content.decode()
        assert client.post(f"/r/report/{token}/", {"temperature": "36.5"}).status_code == 403
    # A finished observation's link says so, also before it would expire.
    with at(RELEASE_ON, 0, 10):
        daily_run(on=RELEASE_ON)
        response = client.get(f"/r/report/{token}/")
        assert response.status_code == 403 and "已解除" in response.content.decode()
    assert not HealthReport.objects.exists()


def test_an_extension_keeps_the_link_working(world: World, person: Person) -> None:
    from django.test import Client

    observation = start(world, person)
    token = self_report_token(observation=observation)
    with at(dt.date(2020, 3, 3)):
        observation_extend(
            actor=world.wanping_worker, observation=observation, days=7, reason="密接"
        )
    with at(dt.date(2020, 3, 10), 9):
        response = Client().post(f"/r/report/{token}/", {"temperature": "36.4"})
        assert "第 20 天上午" in response.content.decode()


# --- API and pages ------------------------------------------------------------------------------
def test_the_api_lists_by_state_and_due_date_scoped(world: World, person: Person) -> None:
    observation = start(world, person)
    later = make_person(world.wanping_worker, world.areas[WANPING], "王晚到")
    late = start(world, later, dt.date(2020, 2, 28))
    api = world.api(world.wanping_worker)
    with at(dt.date(2020, 2, 28), 9):
        report(late, dt.date(2020, 2, 28), Slot.MORNING)
    with at(dt.date(2020, 2, 28), 9):
        rows = api.get("/api/v1/observations/").json()["results"]
        assert {r["id"] for r in rows} == {observation.pk, late.pk}
        assert rows[0]["person"]["document_number"].count("*") >= 8
        missing = api.get("/api/v1/observations/?due=missing_today").json()["results"]
        assert [r["id"] for r in missing] == [observation.pk]
        ending = api.get("/api/v1/observations/?due=ending_this_week").json()["results"]
        assert [r["id"] for r in ending] == [observation.pk]
        bad = api.get("/api/v1/observations/?due=soon")
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "due"
        detail = api.get(f"/api/v1/observations/{late.pk}/").json()
        assert detail["day"] == 1 and len(detail["reports"]) == 1
        assert detail["events"][0]["actor"] == "wanping_worker"
        zhen = world.api(world.zhenguosi_worker)
        assert zhen.get("/api/v1/observations/").json()["results"] == []
        assert zhen.get(f"/api/v1/observations/{late.pk}/").status_code == 404
        assert zhen.post(
            f"/api/v1/observations/{late.pk}/cancel/", {"reason": "x"}
        ).status_code == (404)


def test_the_api_drives_the_life_cycle(world: World, person: Person, doctor: User) -> None:
    api = world.api(world.wanping_worker)
    with at(ARRIVAL, 10):
        made = api.post(
            "/api/v1/observations/",
            {"person": person.pk, "area": WANPING_ZONE, "mode": "home", "arrived_on": "2020-02-20"},
            format="json",
        )
        assert made.status_code == 201, made.json()
        pk = made.json()["id"]
        assert made.json()["last_day"] == "2020-03-04" and made.json()["release_on"] == "2020-03-05"
        twice = api.post(
            "/api/v1/observations/",
            {"person": person.pk, "area": WANPING_ZONE, "mode": "home", "arrived_on": "2020-02-20"},
            format="json",
        )
        assert twice.status_code == 400 and twice.json()["errors"][0]["field"] == "person"
        assert (
            world.api(doctor)
            .post(f"/api/v1/observations/{pk}/extend/", {"days": 7, "reason": "x"})
            .status_code
            == 403
        )
        extended = api.post(
            f"/api/v1/observations/{pk}/extend/", {"days": 7, "reason": "家人确诊"}, format="json"
        )
        assert extended.json()["days"] == 21
        early = api.post(f"/api/v1/observations/{pk}/release/", {}, format="json")
        assert early.status_code == 400 and early.json()["errors"][0]["field"] == "on"
        sent = world.api(doctor).post(
            f"/api/v1/observations/{pk}/hospital/", {"reason": "高热"}, format="json"
        )
        assert sent.status_code == 200 and sent.json()["status"] == "hospital"
        closed = api.post(f"/api/v1/observations/{pk}/cancel/", {"reason": "x"}, format="json")
        assert closed.status_code == 400 and closed.json()["errors"][0]["field"] == "observation"


def test_the_pages_show_lists_timeline_and_forms(world: World, person: Person) -> None:
    observation = start(world, person)
    report(observation, dt.date(2020, 2, 21), Slot.MORNING, "37.8")
    page = world.client(world.wanping_worker)
    with at(dt.date(2020, 2, 21), 15):
        for tab in ("active", "missing_today", "ending_this_week", "fever", "released", "ended"):
            response = page.get(f"/arrivals/observations/?tab={tab}")
            assert response.status_code == 200
        fever = page.get("/arrivals/observations/?tab=fever").content.decode()
        assert "张小明" in fever and "第 2 / 14 天" in fever
        detail = page.get(f"/arrivals/observations/{observation.pk}/").content.decode()
        assert "<svg" in detail and "/r/report/" in detail and "37.8°C" in detail
        bad = page.post(
            f"/arrivals/observations/{observation.pk}/report/",
            {"report-on": "2020-02-21", "report-slot": "evening", "report-temperature": "45"},
        )
        assert bad.status_code == 400
        assert "不在 34.0–42.0°C 之间" in bad.content.decode()
        ok = page.post(
            f"/arrivals/observations/{observation.pk}/extend/",
            {"extend-days": "3", "extend-reason": "复查"},
        )
        assert ok.status_code == 302
        observation.refresh_from_db()
        assert observation.days == 17
        assert page.get("/arrivals/alerts/").status_code == 200
        assert page.get("/arrivals/tasks/").status_code == 200
        assert page.post(f"/arrivals/observations/{observation.pk}/release/").status_code == 400
        other = world.client(world.zhenguosi_worker)
        assert other.get(f"/arrivals/observations/{observation.pk}/").status_code == 404
        assert "张小明" not in other.get("/arrivals/observations/").content.decode()


def test_paperwork_prints_many_at_once_on_a4(world: World, person: Person) -> None:
    second = make_person(world.wanping_worker, world.areas[WANPING], "赵二")
    a, b = start(world, person), start(world, second)
    page = world.client(world.wanping_worker)
    with at(dt.date(2020, 2, 21)):
        notices = page.get(f"/arrivals/observations/print/notices/?ids={a.pk},{b.pk}")
        text = notices.content.decode()
        assert "size: A4" in text and "page-break-after: always" in text
        assert text.count('class="sheet"') == 2 and text.count("<svg") == 2
        assert "居家观察告知书" in text and "2020年3月4日" in text
        assert text.count("/r/report/") >= 2
        certificates = page.get(f"/arrivals/observations/print/certificates/?ids={a.pk}&ids={b.pk}")
        assert certificates.content.decode().count('class="sheet"') == 0
        assert "未解除" in certificates.content.decode()
        other = world.client(world.zhenguosi_worker)
        leaked = other.get(f"/arrivals/observations/print/notices/?ids={a.pk},{b.pk}")
        assert "张小明" not in leaked.content.decode()
    with at(RELEASE_ON, 0, 10):
        daily_run(on=RELEASE_ON)
    with at(RELEASE_ON, 9):
        page = world.client(world.wanping_worker)  # sessions expire: log in again
        response = page.get(f"/arrivals/observations/print/certificates/?ids={a.pk},{b.pk}")
        assert response.status_code == 200, response
        text = response.content.decode()
        assert text.count('class="sheet"') == 2 and "解除观察证明" in text
        assert "2020年3月5日" in text


def test_the_observation_api_is_scoped_for_medical_staff_above(
    world: World, person: Person
) -> None:
    doctor_elsewhere = make_account("zhenguosi_doctor", Role.MEDICAL_STAFF, ZHENGUOSI)
    observation = start(world, person)
    report(observation, dt.date(2020, 2, 21), Slot.MORNING, "38.0")
    with at(dt.date(2020, 2, 21), 10):
        assert world.api(doctor_elsewhere).get("/api/v1/alerts/").json()["results"] == []
        officer = world.api(world.wanping_officer).get("/api/v1/alerts/").json()["results"]
        assert len(officer) == 1  # the street officer above sees it


# --- races (PostgreSQL) -------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_slot_at_once_keep_one_record(world: World, person: Person) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")
    observation = start(world, person)
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def submit(value: str) -> None:
        try:
            barrier.wait()
            results.append(
                self_report_submit(
                    token=self_report_token(observation=observation),
                    temperature=value,
                    symptoms=[],
                )
            )
        finally:
            connections.close_all()

    # One time travel around both threads: time-machine patches the clock process-wide.
    with at(dt.date(2020, 2, 21), 8):
        threads = [threading.Thread(target=submit, args=(v,)) for v in ("36.5", "36.6")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert HealthReport.objects.count() == 1
    assert sorted(r.created for r in results) == [False, True]


@pytest.mark.django_db(transaction=True)
def test_two_daily_runs_at_once_do_each_thing_once(world: World, person: Person) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")
    start(world, person)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            daily_run(on=RELEASE_ON)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    with at(RELEASE_ON, 0, 10):
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert CallTask.objects.filter(on=LAST_DAY).count() == 1
    assert ObservationEvent.objects.filter(action="release").count() == 1
    assert Observation.objects.get().status == ObservationStatus.RELEASED


def test_a_zhenguosi_worker_sees_nothing_of_wanpings_observations(
    world: World, person: Person
) -> None:
    """The generic walk (tests/core/test_scoping_walk.py) with observation data present:
    every list and every detail route, as an account of another community."""
    from tests.core.test_scoping_walk import (
        assert_nothing_of_wanping,
        detail_routes,
        list_routes,
        wanping_identifiers,
    )

    observation = start(world, person)
    report(observation, dt.date(2020, 2, 21), Slot.MORNING, "38.1")
    with at(dt.date(2020, 2, 23), 0, 10):
        daily_run(on=dt.date(2020, 2, 23))
    assert CallTask.objects.exists() and Alert.objects.exists()
    page = world.client(world.zhenguosi_worker)
    api = world.api(world.zhenguosi_worker)
    ids = wanping_identifiers()["pk"]
    with at(dt.date(2020, 2, 23), 10):
        for url in list_routes():
            if "arrivals" in url or "observations" in url or "alerts" in url or "call-tasks" in url:
                assert_nothing_of_wanping((api if url.startswith("/api/") else page).get(url), url)
        for url in (
            f"/arrivals/observations/print/notices/?ids={observation.pk}",
            f"/arrivals/observations/print/certificates/?ids={observation.pk}",
        ):
            assert_nothing_of_wanping(page.get(url), url)
        tried = 0
        for route, name in detail_routes():
            if not any(
                k in route for k in ("observations", "alerts", "tasks", "call-tasks", "report")
            ):
                continue
            for value in ids:
                url = "/" + route.replace(f"<int:{name}>", value).replace(f"<str:{name}>", value)
                client = api if url.startswith("/api/") else page
                response = client.get(url)
                assert response.status_code in (400, 403, 404, 405), url
                assert_nothing_of_wanping(response, url)
                tried += 1
        assert tried > 10
