"""Cadres: the district's organs, 王颖 of 丰台区侨联 at 镇国寺 (her own account) and a cadre
of 抗战纪念馆 at 宛平城社区; the clock is 2020-03-04, 10:00 in Beijing, under the 2020
policy (fever from 37.3 °C)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.cadres import services
from fangkong.cadres.models import Cadre, Organ
from fangkong.policy.services import policy_seed_2020
from tests.conftest import WANPING, ZHENGUOSI, World, make_account

TODAY = dt.date(2020, 3, 4)
TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2020, 3, 4, 10, tzinfo=TZ), tick=False):
        yield


@dataclass
class Cadres:
    qiaolian: Organ
    museum: Organ
    wang_ying: Cadre
    wang_account: User
    wanping_cadre: Cadre


@pytest.fixture
def cadres(world: World) -> Cadres:
    policy_seed_2020()
    officer = world.district_officer
    qiaolian = services.organ_create(actor=officer, name="丰台区侨联")
    museum = services.organ_create(actor=officer, name="抗战纪念馆", kind="institution")
    account = make_account("wang_ying", Role.CADRE, ZHENGUOSI)
    wang = services.cadre_register(
        actor=officer,
        organ=qiaolian,
        name="王颖",
        area=world.areas[ZHENGUOSI],
        starts_on=TODAY - dt.timedelta(days=10),
        phone="13800138000",
        distance_km="10",
        account=account,
    )
    other = services.cadre_register(
        actor=officer,
        organ=museum,
        name="赵强",
        area=world.areas[WANPING],
        starts_on=TODAY - dt.timedelta(days=10),
    )
    return Cadres(qiaolian, museum, wang, account, other)
