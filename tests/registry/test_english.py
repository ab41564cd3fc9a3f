"""The registry's pages (people, households, duplicates, import, screening rounds) in English:
once the names, places and addresses of the test are taken out, no Chinese is left in the
page's own part."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from fangkong.core.crypto import decrypt
from fangkong.registry.models import Address, Person, ScreeningRound
from fangkong.registry.screening.services import Finding, round_create, visit_record
from fangkong.registry.transfers.services import transfer_request
from tests.conftest import WANPING, ZHENGUOSI, World
from tests.english import chinese_left, english, world_data
from tests.factories import make_person

Z1 = f"{WANPING}Z1"
BUILDING = "城内街12号院"


@pytest.fixture(autouse=True)
def _frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2020, 2, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_the_registry_pages_are_english(world: World) -> None:
    worker, zone = world.wanping_worker, world.areas[Z1]
    owner = make_person(worker, zone, "李建国", building=BUILDING, room="101")
    tenant = make_person(worker, zone, "王小明", building=BUILDING, room="101", kind="tenant")
    for _ in range(2):  # two records without a document: possible duplicates
        make_person(worker, zone, "赵重名", document_number="", phone="13812345678")
    address = Address.objects.get(building=BUILDING)
    first = round_create(
        actor=worker,
        area=zone,
        name="春节后第一轮",
        starts_on=dt.date(2020, 2, 1),
        ends_on=dt.date(2020, 2, 10),
    )
    visit_record(
        actor=worker,
        round=first,
        address=address,
        visited_on=dt.date(2020, 2, 5),
        findings=[Finding(owner, "present"), Finding(tenant, "present")],
    )
    second = round_create(
        actor=worker,
        area=zone,
        name="第二轮",
        starts_on=dt.date(2020, 2, 15),
        ends_on=dt.date(2020, 2, 25),
    )
    visit_record(
        actor=worker,
        round=second,
        address=address,
        visited_on=dt.date(2020, 2, 18),
        findings=[Finding(owner, "present"), Finding(tenant, "not_back", "湖北省武汉市")],
    )
    # Handovers both ways: 镇国寺 asks for the tenant, 宛平城 for someone of 镇国寺.
    there = make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "镇国寺居民")
    for actor, person, to_area in (
        (world.zhenguosi_worker, tenant, world.areas[ZHENGUOSI]),
        (worker, there, zone),
    ):
        transfer_request(
            actor=actor,
            document_type=person.document_type,
            document_number=decrypt(person.document_cipher),
            to_area=to_area,
            reason="搬家",
        )
    data = [*world_data(world), BUILDING, "湖北省武汉市", str(address), "搬家"]
    data += [p.name for p in Person.objects.all()] + [p.masked_name for p in Person.objects.all()]
    data += [r.name for r in ScreeningRound.objects.all()]
    pages = {
        "people": "/registry/people/",
        "person": f"/registry/people/{tenant.pk}/",
        "person-new": "/registry/people/new/",
        "person-edit": f"/registry/people/{tenant.pk}/edit/",
        "households": "/registry/households/",
        "household": f"/registry/households/{address.pk}/",
        "duplicates": "/registry/people/duplicates/",
        "imports": "/registry/imports/",
        "rounds": "/registry/rounds/",
        "round-new": "/registry/rounds/new/",
        "round": f"/registry/rounds/{second.pk}/",
        "round-pick": f"/registry/rounds/{second.pk}/visit/?building={BUILDING}",
        "round-visit": f"/registry/rounds/{second.pk}/visit/?address={address.pk}",
        "round-changes": f"/registry/rounds/{second.pk}/changes/",
        "first-round-changes": f"/registry/rounds/{first.pk}/changes/",
        "transfers-incoming": "/registry/transfers/",
        "transfers-outgoing": "/registry/transfers/?state=outgoing",
        "transfer-new": "/registry/transfers/new/",
    }
    client = english(world, worker)
    left = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        left[name] = chinese_left(response.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}
