"""The reports tests' world: three days of February 2020 in two communities, with what
every figure must be at every level on every day.

城内街 (宛平城社区's zone Z1): residents A and B (not back yet) and C; a pass for C,
and for A once back; a gate. 镇国寺社区: P (site observation from day 1, to hospital on day 3), Q
(registered day 2, not back), and two advance notices confirmed on day 1 (one from Hubei,
told to wait; each registers its returnee as not back).

Day 1: C arrives for a one-day observation (reports in the evening), P arrives (never
reports). Day 2: C released; A arrives and reports a fever in the evening; at the gate C
has a fever and a forged card is refused. Day 3: B arrives; at the gate A (observed) is
refused exit and C goes out; P goes to hospital."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fangkong.access import auth, checks
from fangkong.access.services import gate_create, pass_issue
from fangkong.arrivals.health.services import report_submit
from fangkong.arrivals.models import FiledBy, ObservationMode
from fangkong.arrivals.notices.services import notice_file
from fangkong.arrivals.observation.services import observation_start, observation_to_hospital
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Whereabouts
from fangkong.site.services import daily_run
from tests.conftest import FENGTAI, WANPING, WANPING_STREET, ZHENGUOSI, World
from tests.factories import make_person, valid_id

SH = ZoneInfo("Asia/Shanghai")
D1, D2, D3 = dt.date(2020, 2, 18), dt.date(2020, 2, 19), dt.date(2020, 2, 20)
Z1 = f"{WANPING}Z1"
MAJIABAO = "110106015"

ZERO = {
    "people": 0,
    "not_back": 0,
    "notices": 0,
    "must_delay": 0,
    "observing": 0,
    "observing_home": 0,
    "observing_unit": 0,
    "observing_site": 0,
    "started": 0,
    "released": 0,
    "fevers": 0,
    "missed_reports": 0,
    "calls_open": 0,
    "passes_active": 0,
    "passes_suspended": 0,
    "checks": 0,
    "denials": 0,
    "visitors": 0,
    "rounds_done": 0,
    "rounds_planned": 0,
    "rounds_overdue": 0,
    "supplies_low": 0,
    "supplies_handouts": 0,
    # duty (no posts in this story)
    "duty_shifts_needed": 0,
    "duty_shifts_covered": 0,
    "duty_gaps_24h": 0,
    "duty_sign_ins": 0,
    "duty_late": 0,
    "duty_missing": 0,
    # party (no donations in this story)
    "party_donors": 0,
    "party_donation_fen": 0,
    # care and cadres (none in this story)
    "care_calls": 0,
    "care_requests": 0,
    "care_done": 0,
    "care_overdue": 0,
    "care_median_hours": None,
    "cadres_on_duty": 0,
    "cadres_signed_in": 0,
    "cadres_unwell": 0,
    # units' duty and production quality (no units in this story)
    "units_reporting": 0,
    "units_expected": 0,
    "units_onsite_breaches": 0,
    "units_sick_absences": 0,
    "units_findings_open": 0,
    "units_findings_overdue": 0,
    "quality_inspected": 0,
    "quality_accepted": 0,
    "quality_rejected": 0,
}


def figures(**values: int) -> dict[str, int]:
    out = {**ZERO, **values}
    out["observing"] = out["observing_home"] + out["observing_unit"] + out["observing_site"]
    return out


# What each community holds each day; the levels above sum them.
CHENGNEI = {
    D1: figures(
        people=3,
        not_back=2,  # A (arrives day 2), B (day 3)
        observing_home=1,  # C
        started=1,
        passes_suspended=1,  # C's, while C is under observation
    ),
    D2: figures(
        people=3,
        not_back=1,
        observing_home=1,  # A (C released this morning)
        started=1,
        released=1,
        fevers=2,  # A's evening report, C at the gate
        passes_active=1,  # C again
        passes_suspended=1,  # A
        checks=2,
        denials=2,
    ),
    D3: figures(
        people=3,
        observing_home=2,  # A, B
        started=1,
        passes_active=1,
        passes_suspended=1,
        checks=2,
        denials=1,
    ),
}
ZHENGUOSI_DAYS = {
    D1: figures(
        people=3,  # P and the two notices' returnees
        not_back=2,
        notices=2,
        must_delay=1,
        observing_site=1,
        started=1,
        missed_reports=1,  # P's evening
    ),
    D2: figures(
        people=4,  # + Q
        not_back=3,
        observing_site=1,
        missed_reports=2,  # P's morning and evening
        calls_open=1,  # day 1's call, raised at 00:10
    ),
    # P in hospital since this morning; one call per person per day: day 1 and day 2
    D3: figures(people=4, not_back=3, calls_open=2),
}
REASONS = {D1: {}, D2: {"fever": 1, "no_pass": 1}, D3: {"under_observation": 1}}


def plus(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two communities' figures added (a median is not a sum: none done in this story)."""
    return {k: None if a[k] is None else a[k] + b[k] for k in a}


def expected(code: str, day: dt.date) -> dict[str, int]:
    if code in (Z1, WANPING, WANPING_STREET):
        return CHENGNEI[day]
    if code in (ZHENGUOSI, MAJIABAO):
        return ZHENGUOSI_DAYS[day]
    assert code == FENGTAI
    return plus(CHENGNEI[day], ZHENGUOSI_DAYS[day])


@contextmanager
def at(day: dt.date, hour: int, minute: int = 0) -> Iterator[None]:
    with time_machine.travel(
        dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SH), tick=False
    ):
        yield


def gate_check(world: World, gate_id: int, direction: str, temperature: float, **who: str) -> str:
    body = {
        "check_id": str(uuid.uuid4()),
        "gate": gate_id,
        "direction": direction,
        "temperature": temperature,
        **who,
    }
    response = world.api(world.guard).post("/api/v1/gate-checks/", body, format="json")
    assert response.status_code == 201, response.content
    return str(response.json()["decision"])


def returnee(n: int, region: str) -> dict[str, str]:
    return {
        "name": f"返京{n}",
        "document_number": valid_id(n, region=region),
        "phone": f"1380000{n:04d}",
    }


@pytest.fixture
def story(world: World) -> World:
    checks.caches_clear()
    auth.cache_clear()
    policy_seed_2020()
    worker, zg_worker = world.wanping_worker, world.zhenguosi_worker
    chengnei, zhenguosi = world.areas[Z1], world.areas[ZHENGUOSI]
    with at(D1, 9):
        gate = gate_create(actor=worker, area=chengnei, name="城内街东门")
        a = make_person(
            worker,
            chengnei,
            "甲",
            building="城内街1号院",
            whereabouts=Whereabouts.NOT_BACK,
            away_from="河南省信阳市",
        )
        b = make_person(
            worker, chengnei, "乙", whereabouts=Whereabouts.NOT_BACK, away_from="河北省保定市"
        )
        c = make_person(worker, chengnei, "丙", building="城内街2号院")
        p = make_person(zg_worker, zhenguosi, "丁")
        card_c = pass_issue(actor=worker, person=c, area=chengnei, kind="resident", verified=True)
        for origin, name, n in (("420000", "湖北省武汉市", 9001), ("130000", "河北省保定市", 9002)):
            notice_file(
                actor=zg_worker,
                area=zhenguosi,
                filed_by=FiledBy.RETURNEE,
                filer_name="报备人",
                origin_code=origin,
                origin_name=name,
                planned_on=D1 + dt.timedelta(days=10),
                mode=ObservationMode.HOME,
                building="镇国寺北里1号楼",
                room="101",
                people=[returnee(n, "130602")],
            )
        observed_c = observation_start(
            actor=worker, person=c, area=chengnei, mode=ObservationMode.HOME, arrived_on=D1, days=1
        )
        observed_p = observation_start(
            actor=zg_worker, person=p, area=zhenguosi, mode=ObservationMode.SITE, arrived_on=D1
        )
    with at(D1, 19):
        report_submit(
            observation=observed_c,
            on=D1,
            slot="evening",
            temperature="36.6",
            symptoms=[],
            by_self=True,
        )
    with at(D2, 0, 10):
        daily_run(on=D2)
    with at(D2, 9):
        make_person(
            zg_worker, zhenguosi, "戊", whereabouts=Whereabouts.NOT_BACK, away_from="湖北省"
        )
        observed_a = observation_start(
            actor=worker, person=a, area=chengnei, mode=ObservationMode.HOME, arrived_on=D2
        )
        a.refresh_from_db()  # in Beijing now: a pass, suspended for exit while observed
        card_a = pass_issue(actor=worker, person=a, area=chengnei, kind="resident", verified=True)
        assert gate_check(world, gate.pk, "in", 37.6, pass_token=card_c.token) == "deny"
        assert gate_check(world, gate.pk, "in", 36.5, pass_token="F" * 32) == "deny"
    with at(D2, 19):
        report_submit(
            observation=observed_a,
            on=D2,
            slot="evening",
            temperature="37.8",
            symptoms=[],
            by_self=True,
        )
    with at(D3, 0, 10):
        daily_run(on=D3)
    with at(D3, 8):
        observation_start(
            actor=worker, person=b, area=chengnei, mode=ObservationMode.HOME, arrived_on=D3
        )
        assert gate_check(world, gate.pk, "out", 36.5, pass_token=card_a.token) == "deny"
        assert gate_check(world, gate.pk, "out", 36.5, pass_token=card_c.token) == "admit"
        observation_to_hospital(actor=zg_worker, observation=observed_p, on=D3, reason="发热转诊")
    return world
