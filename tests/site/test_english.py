"""The home page (工作台, "Today's work") in English, for a community worker and a medic:
once the names and places of the test are taken out, no Chinese is left in its own part."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.core.cache import cache

from fangkong.access.services import gate_create
from fangkong.arrivals.models import Alert, AlertKind
from fangkong.site.workbench import work_items
from tests.conftest import WANPING, ZHENGUOSI, World, make_account
from tests.english import chinese_left, english, world_data
from tests.factories import make_person


def test_the_workers_home_is_english(world: World) -> None:
    cache.clear()
    gate = gate_create(
        actor=world.wanping_worker, area=world.areas[f"{WANPING}Z1"], name="城内街东门"
    )
    body = {
        "check_id": str(uuid.uuid4()),
        "gate": gate.pk,
        "direction": "in",
        "temperature": "38.2",
        "pass_token": "not-a-real-pass",
    }
    assert (
        world.api(world.guard).post("/api/v1/gate-checks/", body, format="json").status_code == 201
    )
    html = english(world, world.wanping_worker).get("/").content.decode()
    assert "Today's work" in html and "data-work-item" in html
    assert chinese_left(html, [*world_data(world), gate.name]) == []


def test_the_medics_home_is_english(world: World) -> None:
    cache.clear()
    medic = make_account("zgs_medic", "medical_staff", ZHENGUOSI)
    person = make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "高热")
    Alert.objects.create(
        area=world.areas[ZHENGUOSI],
        person=person,
        kind=AlertKind.FEVER,
        temperature=Decimal("37.6"),
    )
    html = english(world, medic).get("/").content.decode()
    assert "data-work-item" in html
    # The items of arrivals (alerts, notices) are translated by the arrivals catalogue.
    arrivals = [str(item.label) for item in work_items(medic) if item.url.startswith("/arrivals/")]
    arrivals += [
        str(item.detail) for item in work_items(medic) if item.url.startswith("/arrivals/")
    ]
    assert chinese_left(html, [*world_data(world), person.name, *arrivals]) == []
