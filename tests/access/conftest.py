"""A gate post in 城内街 (宛平城社区's zone Z1) with a resident who holds a pass; a gate of
桥西街 (same community, another zone) and one of 镇国寺社区 (another community)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from fangkong.access import auth, checks
from fangkong.access.models import Gate, Pass
from fangkong.access.services import gate_create, pass_issue
from fangkong.registry.models import Person
from tests.conftest import WANPING, ZHENGUOSI, World
from tests.factories import make_person

CHENGNEI, QIAOXI = f"{WANPING}Z1", f"{WANPING}Z2"


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    checks.caches_clear()
    auth.cache_clear()
    yield
    checks.caches_clear()
    auth.cache_clear()


@dataclass
class Post:
    world: World
    gate: Gate  # 城内街东门, opens 城内街
    qiaoxi_gate: Gate  # 桥西街, same community
    zhenguosi_gate: Gate  # another community
    resident: Person
    card: Pass

    def check(self, user: Any = None, **body: Any) -> Any:
        body.setdefault("check_id", str(uuid.uuid4()))
        body.setdefault("gate", self.gate.pk)
        body.setdefault("direction", "in")
        body.setdefault("temperature", 36.5)
        if not {"pass_token", "pass_number", "document_number"} & body.keys():
            body["pass_token"] = self.card.token
        api = self.world.api(user or self.world.guard)
        return api.post("/api/v1/gate-checks/", body, format="json")


def resident_with_pass(
    world: World, name: str = "李建国", zone: str = CHENGNEI
) -> tuple[Person, Pass]:
    person = make_person(world.wanping_worker, world.areas[zone], name, building="城内街12号院")
    card = pass_issue(
        actor=world.wanping_worker,
        person=person,
        area=world.areas[zone],
        kind="resident",
        verified=True,
    )
    return person, card


@pytest.fixture
def post(world: World) -> Post:
    gate = gate_create(actor=world.wanping_worker, area=world.areas[CHENGNEI], name="城内街东门")
    qiaoxi = gate_create(actor=world.wanping_worker, area=world.areas[QIAOXI], name="桥西街口")
    zhenguosi = gate_create(
        actor=world.zhenguosi_worker, area=world.areas[ZHENGUOSI], name="镇国寺北门"
    )
    person, card = resident_with_pass(world)
    return Post(world, gate, qiaoxi, zhenguosi, person, card)
