"""Demo rounds of 镇国寺社区 (“20 多栋楼”, ten community workers who patrol, inspect and
disinfect besides everything else):

* its 22 buildings (1号楼 … 22号楼, as the demo registry has them): 1–14号楼 are six-storey
  walk-ups (a stairwell, 楼道), 15–22号楼 high-rises (a lift, 电梯); each has its rubbish
  station (垃圾桶站);
* disinfection twice a day of every stairwell, lift and rubbish station (含氯消毒剂
  500 mg/L), and a patrol of every building every 4 hours (at its stairwell or lift);
* today's rounds so far recorded by 镇国寺's worker — disinfection at 07:00 and 19:00,
  patrols every 4 hours from 02:00 (each building a few minutes after the one before; in
  the small hours, yesterday's last round) — so that every plan is in time but one:
  7号楼's rubbish station, whose last disinfection was 50 minutes more than its interval
  ago — the overdue round.

The times are set against the moment of loading (a slot not yet come is taken the round
before), so the story holds whenever it is loaded. Idempotent: when 镇国寺 has places,
nothing is added.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.rounds.models import Agent, Place, PlaceKind, RoundKind
from fangkong.rounds.services import place_create, plan_create, record_round

ZHENGUOSI = "110106015001"
BUILDINGS = 22
WALK_UPS = 14  # 1–14号楼 without lifts
OVERDUE_BUILDING = 7
PLANS_FROM_DAYS_AGO = 14
CHLORINE = "500 mg/L"


def _at(now: dt.datetime, hour: int, minute: int) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _rounds(now: dt.datetime, first: dt.datetime, every: dt.timedelta) -> list[dt.datetime]:
    """The rounds of today so far: first + k·every (k any integer) from midnight to `now`,
    and at least the latest one before `now` (yesterday's, early in the morning)."""
    latest = first + ((now - first) // every) * every
    midnight = _at(now, 0, 0)
    times = [latest]
    while times[-1] - every >= midnight:
        times.append(times[-1] - every)
    return sorted(times)


@transaction.atomic
def load_demo_rounds(now: dt.datetime | None = None) -> tuple[bool, int, int, int]:
    now = now or timezone.now()
    area = Area.objects.get(code=ZHENGUOSI)
    if Place.objects.filter(area=area).exists():
        return False, 0, 0, 0
    worker = User.objects.get(username="zhenguosi_worker")
    since = timezone.localdate(now) - dt.timedelta(days=PLANS_FROM_DAYS_AGO)
    places = plans = records = 0
    for number in range(1, BUILDINGS + 1):
        building = f"{number}号楼"
        walk_up = number <= WALK_UPS
        hall = place_create(
            actor=worker,
            area=area,
            kind=PlaceKind.STAIRWELL if walk_up else PlaceKind.LIFT,
            building=building,
            name="楼道" if walk_up else "电梯",
        )
        rubbish = place_create(
            actor=worker, area=area, kind=PlaceKind.RUBBISH, building=building, name="垃圾桶站"
        )
        places += 2
        offset = dt.timedelta(minutes=3 * (number - 1))
        for place in (hall, rubbish):
            plan = plan_create(
                actor=worker,
                place=place,
                kind=RoundKind.DISINFECTION,
                times_a_day=2,
                agent=Agent.CHLORINE,
                concentration=CHLORINE,
                active_from=since,
            )
            plans += 1
            morning = _at(now, 7, 0) + offset + dt.timedelta(minutes=1 if place is rubbish else 0)
            times = _rounds(now, morning, plan.interval)
            if number == OVERDUE_BUILDING and place is rubbish:
                times = [now - plan.interval - dt.timedelta(minutes=50)]
            for done in times:
                record_round(
                    actor=worker,
                    plan=plan,
                    done_at=done,
                    what="喷洒消毒，擦拭扶手、按钮" if place is hall else "喷洒消毒，垃圾清运",
                )
                records += 1
        patrol = plan_create(
            actor=worker,
            place=hall,
            kind=RoundKind.PATROL,
            every_hours=4,
            active_from=since,
        )
        plans += 1
        for done in _rounds(now, _at(now, 2, 0) + offset, patrol.interval):
            record_round(
                actor=worker,
                plan=patrol,
                done_at=done,
                what="巡查楼道、电梯，劝导戴口罩，清理楼道堆物",
            )
            records += 1
    return True, places, plans, records


def load_demo() -> str:
    created, places, plans, records = load_demo_rounds()
    if not created:
        return "demo rounds: 镇国寺社区 already has its places"
    return (
        f"demo rounds: 镇国寺社区 {BUILDINGS} 栋楼 {places} 个点位 / {plans} 项计划 / "
        f"{records} 条记录，1 项逾期（{OVERDUE_BUILDING}号楼垃圾桶站消杀）"
    )
