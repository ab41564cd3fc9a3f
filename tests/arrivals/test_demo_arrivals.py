"""The returnee demo (issue 4, item 9) on top of the demo registry: the construction-site
story, 宛平城's tenants, 镇国寺社区's 148 people under home observation with one fever, a
notice from 湖北 — and a second load that adds nothing.

The demo's “today” is the real date (so the pages show live data); the test reads it the
same way and does not travel in time. One test function: loading the registry takes most
of the time, so it is loaded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from fangkong.accounts.demo import load_demo_accounts
from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.accounts.services import account_upsert
from fangkong.areas.demo import load_demo_areas
from fangkong.areas.models import Area
from fangkong.arrivals.demo import HOME_OBSERVED, MARK, load_demo_arrivals
from fangkong.arrivals.health.selectors import alerts_list
from fangkong.arrivals.health.services import due_slots
from fangkong.arrivals.inspections.services import JOINT_TEAM_ROLES
from fangkong.arrivals.models import (
    Alert,
    AlertKind,
    ArrivalNotice,
    CallTask,
    CallTaskStatus,
    Decision,
    FiledBy,
    HealthReport,
    Inspection,
    InspectionResult,
    NoticeStatus,
    Observation,
    ObservationEvent,
    ObservationMode,
    ObservationStatus,
    ResponsibilityLetter,
    Slot,
    SpotCheck,
    SpotCheckResult,
)
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.demo.data import SITE_UNIT, SITE_WORKERS_NOT_BACK
from fangkong.registry.demo.loading import load_demo_registry
from fangkong.registry.models import Person, Whereabouts
from fangkong.site.services import daily_run
from tests.conftest import WANPING, ZHENGUOSI

TABLES = (
    ArrivalNotice,
    Inspection,
    ResponsibilityLetter,
    SpotCheck,
    Observation,
    ObservationEvent,
    HealthReport,
    Alert,
    CallTask,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def test_the_returnee_demo(db: None) -> None:
    load_demo_areas()
    policy_seed_2020()  # a transactional test before this one may have flushed the seed
    load_demo_accounts()
    load_demo_registry()
    today = timezone.localdate()

    loaded = load_demo_arrivals()
    assert loaded.created

    # 镇国寺社区: 148 people under home observation, arrivals over the last 13 days.
    home = Observation.objects.filter(
        area__code=ZHENGUOSI, mode=ObservationMode.HOME, status=ObservationStatus.ACTIVE
    )
    assert home.count() == HOME_OBSERVED == 148
    arrived = set(home.values_list("arrived_on", flat=True))
    assert min(arrived) == today - dt.timedelta(days=12) and max(arrived) == today
    assert len(arrived) == 13
    assert not Person.objects.filter(
        observations__in=home, whereabouts=Whereabouts.NOT_BACK
    ).exists()
    assert not home.filter(person__away_from__startswith="湖北").exists()

    # Reports: most present, some of yesterday's missing, now call tasks (the nightly
    # step has run for today, so running it again adds nothing).
    yesterday = today - dt.timedelta(days=1)
    reports = HealthReport.objects.filter(observation__in=home)
    owed_yesterday = (
        2 * home.filter(arrived_on__lt=yesterday).count()
        + home.filter(arrived_on=yesterday).count()
    )
    got_yesterday = reports.filter(on=yesterday).count()
    assert owed_yesterday * 0.8 < got_yesterday < owed_yesterday
    tasks = CallTask.objects.filter(status=CallTaskStatus.OPEN)
    # One call per person per day, however many of the day's reports are missing.
    missing = {
        observation.pk
        for observation in home.filter(arrived_on__lte=yesterday)
        if len(due_slots(observation, yesterday))
        > reports.filter(observation=observation, on=yesterday).count()
    }
    assert set(tasks.filter(observation__in=home).values_list("observation", flat=True)) == missing
    assert set(tasks.values_list("on", flat=True)) == {yesterday}
    assert reports.filter(by_self=False, recorded_by__username="wang_ying").exists()
    # Before yesterday nothing is missing: every day of everyone's record has its reports.
    for observation in home:
        day, owed = observation.arrived_on, 0
        while day < yesterday:
            owed += len(due_slots(observation, day))
            day += dt.timedelta(days=1)
        got = reports.filter(observation=observation, on__lt=yesterday).count()
        assert got == owed, (observation.person.name, observation.arrived_on, got, owed)
    again = daily_run(on=today, dry_run=True, only=["call_tasks"])
    assert again.counts == {"call_tasks": 0}

    # Exactly one fever, 37.6 °C this morning, for 镇国寺's medical staff only.
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.FEVER and alert.temperature == Decimal("37.6")
    assert alert.area.code == ZHENGUOSI and alert.report is not None
    assert (alert.report.on, alert.report.slot) == (today, Slot.MORNING)
    assert HealthReport.objects.filter(temperature__gte=Decimal("37.3")).count() == 1
    zhenguosi_medic = account_upsert(
        username="zhenguosi_medic",
        role=Role.MEDICAL_STAFF,
        area=Area.objects.get(code=ZHENGUOSI),
        password="correct-horse-battery-1",
    )
    wanping_medic = User.objects.get(username="wanping_medic")
    assert wanping_medic.role == Role.MEDICAL_STAFF and wanping_medic.area.code == WANPING
    assert list(alerts_list(user=zhenguosi_medic)) == [alert]
    assert not alerts_list(user=wanping_medic).exists()

    # The construction site: 6 workers from 河南, unit site passed by the joint team,
    # letter signed, arrived, one spot check recorded 严格遵守 and more scheduled.
    site = ArrivalNotice.objects.get(unit__name=SITE_UNIT)
    assert site.filed_by == FiledBy.EMPLOYER and site.origin_code == "410000"
    assert site.mode == ObservationMode.UNIT
    assert site.status in (NoticeStatus.READY, NoticeStatus.ARRIVED)
    assert site.people.count() == SITE_WORKERS_NOT_BACK == 6
    assert site.note.startswith(MARK) and "虚构" in site.note
    inspection = site.inspections.get()
    assert inspection.result == InspectionResult.PASS
    assert set(JOINT_TEAM_ROLES) <= set(inspection.team.values_list("role", flat=True))
    letter = ResponsibilityLetter.objects.get(notice=site)
    assert letter.signed_on <= site.planned_on
    done = site.spot_checks.get(result=SpotCheckResult.COMPLIANT)
    assert done.done_on is not None and site.planned_on < done.done_on <= today
    assert site.spot_checks.filter(result=SpotCheckResult.PENDING, scheduled_on__gt=today)
    workers = Observation.objects.filter(notice=site, status=ObservationStatus.ACTIVE)
    assert workers.count() == 6
    assert {w.mode for w in workers} == {ObservationMode.UNIT}
    assert {w.unit.name for w in workers if w.unit} == {SITE_UNIT}

    # 宛平城's tenants: two notices by landlords, one passed, one failed (no own toilet)
    # and the tenant delays.
    tenants = ArrivalNotice.objects.filter(
        filed_by=FiledBy.LANDLORD, area__code__startswith=WANPING
    )
    assert tenants.count() == 2
    passed = tenants.get(status=NoticeStatus.READY)
    assert passed.inspections.get().result == InspectionResult.PASS
    failed = tenants.get(status=NoticeStatus.FAILED)
    failed_inspection = failed.inspections.get()
    assert failed_inspection.result == InspectionResult.FAIL
    assert failed_inspection.checklist["own_toilet"] is False
    assert "卫生间" in failed_inspection.reasons
    assert failed.planned_on > today + dt.timedelta(days=14)

    # 湖北 → 暂缓返京.
    delayed = ArrivalNotice.objects.get(status=NoticeStatus.MUST_DELAY)
    assert delayed.origin_code == "420000" and delayed.decision == Decision.MUST_NOT_RETURN
    assert not Observation.objects.filter(person__arrival_notices__notice=delayed).exists()

    summary = loaded.summary()
    assert "148" in summary and "暂缓返京 1" in summary

    # A second load adds nothing.
    before = _counts()
    second = load_demo_arrivals()
    assert not second.created
    assert _counts() == before
    assert second.home_observations == 148 and second.open_fevers == 1
