"""Races that matter, on PostgreSQL (SQLite serialises writers, so there is no race)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from fangkong.core.errors import Conflict
from fangkong.registry.models import Person
from fangkong.registry.people.services import person_register
from tests.conftest import WANPING, World
from tests.factories import valid_id

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")


def test_two_workers_registering_one_document_yield_one_person(world: World) -> None:
    number = valid_id(4242)
    area = world.areas[WANPING]
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def register(actor: Any, name: str) -> None:
        try:
            barrier.wait()
            results.append(
                person_register(
                    actor=actor,
                    area=area,
                    data={"name": name, "document_number": number, "phone": "13800000000"},
                )
            )
        except Conflict as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=register, args=(world.wanping_worker, "甲")),
        threading.Thread(target=register, args=(world.wanping_officer, "乙")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Person.objects.count() == 1
    created = [r for r in results if isinstance(r, Person)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(created) == 1 and len(conflicts) == 1
    assert conflicts[0].extra["id"] == created[0].pk
