"""Care at 镇国寺社区: three people under home observation there, one at 宛平城 (which the
镇国寺 accounts must never see), the cadre 王颖 at 镇国寺; the clock is Wednesday
2020-03-04, 10:00 in Beijing. The 2020 policy gives medicine 2 hours, rubbish 24."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.arrivals.health.services import self_report_token
from fangkong.arrivals.models import Observation, ObservationMode
from fangkong.arrivals.observation.services import observation_start
from fangkong.policy.services import policy_seed_2020
from tests.conftest import WANPING, ZHENGUOSI, World, make_account
from tests.factories import make_person

TODAY = dt.date(2020, 3, 4)
TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(at(TODAY, 10), tick=False):
        yield


@dataclass
class Care:
    zhenguosi: list[Observation]
    wanping: Observation
    wang_ying: User

    def token(self, observation: Observation) -> str:
        return self_report_token(observation=observation)


@pytest.fixture
def care(world: World) -> Care:
    policy_seed_2020()
    worker, other = world.zhenguosi_worker, world.wanping_worker
    zhenguosi = world.areas[ZHENGUOSI]
    observed = [
        observation_start(
            actor=worker,
            person=make_person(worker, zhenguosi, name, building="3号楼", room=f"10{i}"),
            area=zhenguosi,
            mode=ObservationMode.HOME,
            arrived_on=TODAY - dt.timedelta(days=i + 1),
        )
        for i, name in enumerate(("刘一", "陈二", "张三"))
    ]
    wanping = observation_start(
        actor=other,
        person=make_person(other, world.areas[WANPING], "李四"),
        area=world.areas[WANPING],
        mode=ObservationMode.HOME,
        arrived_on=TODAY - dt.timedelta(days=2),
    )
    wang_ying = make_account("wang_ying", Role.CADRE, ZHENGUOSI)
    return Care(observed, wanping, wang_ying)
