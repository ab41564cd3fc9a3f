"""Races at the gate, on PostgreSQL (SQLite serialises writers, so there is no race): two
gates scanning one pass at the same instant, and a device's retry racing its original."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connection, connections

from fangkong.access.models import GateCheck
from fangkong.access.services import gate_create
from tests.access.conftest import CHENGNEI, Post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")


def at_once(post: Post, bodies: list[dict[str, Any]]) -> list[Any]:
    barrier = threading.Barrier(len(bodies))
    results: list[Any] = [None] * len(bodies)

    def scan(i: int, body: dict[str, Any]) -> None:
        try:
            api = post.world.api(post.world.guard)
            barrier.wait()
            results[i] = api.post("/api/v1/gate-checks/", body, format="json")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(i, b)) for i, b in enumerate(bodies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def body(post: Post, gate: int, check_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "check_id": check_id or str(uuid.uuid4()),
        "gate": gate,
        "pass_token": post.card.token,
        "direction": "in",
        "temperature": 36.5,
        **extra,
    }


def test_two_gates_scanning_one_pass_at_once_both_answer_and_both_are_logged(post: Post) -> None:
    west = gate_create(
        actor=post.world.wanping_worker, area=post.world.areas[CHENGNEI], name="西门"
    )
    for _round in range(5):
        east_scan, west_scan = at_once(post, [body(post, post.gate.pk), body(post, west.pk)])
        assert east_scan.status_code == west_scan.status_code == 201
        assert east_scan.json()["decision"] == west_scan.json()["decision"] == "admit"
    assert GateCheck.objects.filter(gate=post.gate).count() == 5
    assert GateCheck.objects.filter(gate=west).count() == 5
    # The same at a fever: both denied, both logged, one alert each.
    from fangkong.arrivals.models import Alert

    hot = at_once(
        post, [body(post, post.gate.pk, temperature=38.0), body(post, west.pk, temperature=38.0)]
    )
    assert [r.json()["reasons"] for r in hot] == [["fever"], ["fever"]]
    assert Alert.objects.count() == 2 and GateCheck.objects.count() == 12


def test_a_retry_racing_its_original_is_logged_once_with_one_answer(post: Post) -> None:
    for temperature in (36.5, 38.3):  # the fever path writes its alert in a transaction
        check_id = str(uuid.uuid4())
        same = body(post, post.gate.pk, check_id, temperature=temperature)
        results = at_once(post, [same, dict(same), dict(same)])
        assert all(r.status_code == 201 for r in results)
        assert len({str(r.json()) for r in results}) == 1
        assert GateCheck.objects.filter(check_id=check_id).count() == 1
        replayed = [r.get("Idempotent-Replayed") for r in results]
        assert replayed.count("true") == 2
    from fangkong.arrivals.models import Alert

    assert Alert.objects.count() == 1
