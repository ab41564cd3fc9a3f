"""A post at 城内街 (zone Z1 of 宛平城) with 3 shifts of 8 h needing 2 people, and people on
duty; the clock is Wednesday 2020-03-04, 10:00 in Beijing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine

from fangkong.duty import services
from fangkong.duty.models import DutyPerson, DutyRole, Post, Shift
from fangkong.units.services import unit_get_or_register
from tests.conftest import WANPING, WANPING_ZONE, World
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
class Duty:
    post: Post
    night: Shift  # 00–08
    day: Shift  # 08–16
    evening: Shift  # 16–24
    people: list[DutyPerson]


@pytest.fixture
def duty(world: World) -> Duty:
    worker = world.wanping_worker
    zone = world.areas[WANPING_ZONE]
    post = services.post_create(actor=worker, area=zone, name="城内街东门志愿服务岗")
    night, day, evening = services.shifts_set(actor=worker, post=post, pattern="3x8", needed=2)
    unit = unit_get_or_register(area=zone, name="中国盲文出版社")
    people = [
        services.duty_person_add(
            actor=worker,
            area=world.areas[WANPING],
            person=make_person(worker, zone, name),
            role=DutyRole.VOLUNTEER,
            unit=unit,
        )
        for name in ("李志愿", "王志愿", "赵志愿")
    ]
    return Duty(post, night, day, evening, people)
