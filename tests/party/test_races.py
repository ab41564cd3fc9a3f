"""Two treasurers at once, on PostgreSQL (SQLite serialises writers, so there is no race):
a batch received twice is received once; two batches of the whole holding, one goes; and
donations recorded while batches go up never lose or double a fen."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from fangkong.accounts.roles import Role
from fangkong.core.errors import Conflict
from fangkong.party import services
from fangkong.party.models import Donation, Remittance
from fangkong.party.selectors import org_position, reconciliation
from tests.conftest import WANPING, World, make_account
from tests.party.conftest import Party

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only(audit_flushable: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs PostgreSQL (set FANGKONG_DATABASE_URL)")


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(call())
        except Conflict as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_treasurers_never_double_receive_or_overspend(world: World, party: Party) -> None:
    other = make_account("wanping_treasurer_2", Role.PARTY_TREASURER, WANPING)
    for _round in range(5):
        services.donation_record(
            actor=party.treasurer, member=party.members[0], amount="100.01", channel="cash"
        )
        held = org_position(party.branch1).held
        sent = _at_once(
            lambda: services.remittance_send(actor=party.treasurer, org=party.branch1, amount=held),
            lambda: services.remittance_send(actor=other, org=party.branch1, amount=held),
        )
        assert sum(isinstance(r, Conflict) for r in sent) == 1
        batch = next(r for r in sent if isinstance(r, Remittance))
        got = _at_once(
            lambda: services.remittance_receive(actor=party.treasurer, remittance=batch),
            lambda: services.remittance_receive(actor=other, remittance=batch),
        )
        assert sum(isinstance(r, Conflict) for r in got) == 1
    assert org_position(party.branch1).held == 0
    assert org_position(party.community).received == Decimal("500.05")
    assert all(not level.differences for level in reconciliation(party.community))


def test_donations_and_remittances_at_once_keep_every_fen(world: World, party: Party) -> None:
    other = make_account("wanping_treasurer_2", Role.PARTY_TREASURER, WANPING)
    services.donation_record(
        actor=party.treasurer, member=party.members[0], amount="1000.00", channel="cash"
    )

    def donate() -> Any:
        for _ in range(20):
            services.donation_record(
                actor=other, member=party.members[1], amount="0.01", channel="cash"
            )

    def remit() -> Any:
        for _ in range(20):
            with contextlib.suppress(Conflict):
                services.remittance_send(actor=party.treasurer, org=party.branch1, amount="50.00")

    _at_once(donate, remit)
    collected = sum((d.amount for d in Donation.objects.all()), Decimal(0))
    assert collected == Decimal("1000.20")
    p = org_position(party.branch1)
    assert p.collected == collected and p.held >= 0
    assert p.collected == p.passed_up + p.held
