"""A worker never writes outside their community: a returnee registered elsewhere is handed
over by the community that holds them, not rewritten from here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fangkong.arrivals.models import ArrivalNotice, Observation
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Person, Residence, Whereabouts
from tests.conftest import WANPING_ZONE, ZHENGUOSI, World
from tests.factories import make_person, valid_id

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH), tick=False):
        yield


def test_an_unannounced_arrival_cannot_rewrite_another_communitys_resident(world: World) -> None:
    policy_seed_2020()
    number = valid_id(910, region="110106")
    resident = make_person(
        world.zhenguosi_worker,
        world.areas[ZHENGUOSI],
        "镇国寺居民",
        building="3号楼",
        room="201",
        document_number=number,
        whereabouts=Whereabouts.NOT_BACK,
        away_from="河北省",
    )
    homes_before = list(Residence.objects.filter(person=resident).values_list("pk", "address_id"))
    body: dict[str, Any] = {
        "area": WANPING_ZONE,
        "person": {"name": "镇国寺居民", "document_number": number, "phone": "13900009100"},
        "origin_code": "130600",
        "origin_name": "河北省保定市",
        "arrived_on": "2020-03-02",
        "building": "城内街12号院",
        "room": "南屋",
    }
    response = world.api(world.wanping_worker).post(
        "/api/v1/unannounced-arrivals/", body, format="json"
    )
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["code"] == "other_jurisdiction" and "镇国寺社区" in error["reason"]
    resident.refresh_from_db()
    assert resident.whereabouts == Whereabouts.NOT_BACK and resident.away_from == "河北省"
    assert list(Residence.objects.filter(person=resident).values_list("pk", "address_id")) == (
        homes_before
    )
    assert not ArrivalNotice.objects.exists() and not Observation.objects.exists()
    assert Person.objects.filter(name="镇国寺居民").count() == 1

    # The handover: 宛平城 asks, 镇国寺 agrees; then the arrival is registered here.
    asked = world.api(world.wanping_worker).post(
        "/api/v1/transfers/",
        {
            "document_type": "resident_id",
            "document_number": number,
            "to_area": WANPING_ZONE,
            "reason": "返京后住城内街",
            "building": "城内街12号院",
            "room": "南屋",
        },
        format="json",
    )
    assert asked.status_code == 201
    accepted = world.api(world.zhenguosi_worker).post(
        f"/api/v1/transfers/{asked.json()['id']}/accept/"
    )
    assert accepted.status_code == 200
    response = world.api(world.wanping_worker).post(
        "/api/v1/unannounced-arrivals/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    resident.refresh_from_db()
    assert resident.area.code == WANPING_ZONE and resident.whereabouts == Whereabouts.IN_BEIJING
    assert ArrivalNotice.objects.get().people.get().person == resident
