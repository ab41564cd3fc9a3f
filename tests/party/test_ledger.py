"""Donations and remittances through the services: exact to the fen (Decimal, checked
against integer cents), above-suggested flagged, reversals net to zero, a batch received
once, reconciliation lists a missing receipt and a differing amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fangkong.core.errors import Conflict
from fangkong.party import services
from fangkong.party.models import BranchDay, Donation
from fangkong.party.money import parse_amount, yuan
from fangkong.party.selectors import org_position, reconciliation, summary
from tests.party.conftest import Party


def _give(party: Party, i: int, amount: str, **kw: object) -> Donation:
    return services.donation_record(
        actor=party.treasurer, member=party.members[i], amount=amount, channel="transfer", **kw
    )


def test_it_sums_many_small_amounts_exactly(party: Party) -> None:
    for _ in range(100):
        _give(party, 0, "0.01")
    _give(party, 1, "0.10")
    _give(party, 3, "15254.86")
    figures = summary(party.district, Donation.objects.first().on)  # type: ignore[union-attr]
    assert figures.amount == Decimal("15255.96")
    assert yuan(figures.amount) == "15255.96"
    assert figures.donors == 3 and figures.members == 6


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=1, max_value=99_999_99), min_size=1, max_size=25))
def test_it_sums_exactly_against_integer_cents(party: Party, cents: list[int]) -> None:
    Donation.objects.all().delete()
    BranchDay.objects.all().delete()  # the day totals go with the ledger they count
    for i, c in enumerate(cents):
        _give(party, i % 5, f"{c // 100}.{c % 100:02d}")
    assert summary(party.district, Donation.objects.first().on).amount * 100 == sum(cents)  # type: ignore[union-attr]
    assert org_position(party.branch1).collected + org_position(party.branch2).collected == (
        Decimal(sum(cents)) / 100
    )


@pytest.mark.parametrize("bad", ["1e2", "12.345", "-5", "0", "1,000", "", " ", "abc", "0.001"])
def test_it_refuses_amounts_that_are_not_yuan_to_the_fen(bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(bad)
    assert "amount" in caught.value.message_dict


@pytest.mark.parametrize("bad", [12.5, 100, None, True])
def test_it_refuses_numbers(bad: object) -> None:
    with pytest.raises(ValidationError):
        parse_amount(bad)


def test_it_flags_above_the_policy_suggestion_but_accepts(party: Party) -> None:
    above = _give(party, 0, "500")
    exact = _give(party, 1, "100.00")
    assert above.above_suggested and above.suggested == Decimal("100.00")
    assert not exact.above_suggested
    assert summary(party.community, above.on).above_suggested == 1


def test_a_reversal_nets_to_zero_and_leaves_no_donor(party: Party) -> None:
    d = _give(party, 0, "88.88", receipt_no="WX1")
    reversal = services.donation_reverse(actor=party.treasurer, donation=d, note="重复登记")
    assert reversal.amount == Decimal("-88.88") and reversal.reverses_id == d.pk
    f = summary(party.branch1, d.on)
    assert f.amount == 0 and f.donors == 0
    with pytest.raises(Conflict):
        services.donation_reverse(actor=party.treasurer, donation=d, note="again")
    # Booked again under the same receipt, correctly this time.
    again = _give(party, 0, "8.88", receipt_no="WX1")
    assert summary(party.branch1, d.on).amount == Decimal("8.88") and again.pk


def test_the_same_receipt_is_never_booked_twice(party: Party) -> None:
    _give(party, 0, "100", receipt_no="WX20200228")
    with pytest.raises(Conflict) as caught:
        _give(party, 1, "100", receipt_no="WX20200228")
    assert caught.value.field == "receipt_no"
    assert Donation.objects.count() == 1


def test_remittance_up_the_tree_and_reconciliation(party: Party) -> None:
    _give(party, 0, "100.01")
    _give(party, 3, "50")
    b1 = services.remittance_send(actor=party.treasurer, org=party.branch1, amount="100.01")
    b2 = services.remittance_send(actor=party.treasurer, org=party.branch2, amount="50")
    with pytest.raises(Conflict) as caught:
        services.remittance_send(actor=party.treasurer, org=party.branch2, amount="0.01")
    assert caught.value.field == "amount"
    services.remittance_receive(actor=party.treasurer, remittance=b1)
    with pytest.raises(Conflict) as twice:
        services.remittance_receive(actor=party.treasurer, remittance=b1)
    assert twice.value.code == "already_received"
    # b2 is sent but not received: a difference with both sides.
    levels = {lv.org.pk: lv for lv in reconciliation(party.district)}
    community = levels[party.community.pk]
    assert [(d.kind, d.sent, d.received) for d in community.differences] == [
        ("not_received", Decimal("50.00"), None)
    ]
    assert community.position.received == Decimal("100.01")
    services.remittance_receive(actor=party.treasurer, remittance=b2, received_amount="49.99")
    community = {lv.org.pk: lv for lv in reconciliation(party.district)}[party.community.pk]
    assert [(d.kind, d.sent, d.received) for d in community.differences] == [
        ("amount_differs", Decimal("50.00"), Decimal("49.99"))
    ]
    p = community.position
    assert p.collected + p.received == p.passed_up + p.held == Decimal("150.00")
    up = services.remittance_send(actor=party.treasurer, org=party.community, amount="150.00")
    services.remittance_receive(actor=party.street_treasurer, remittance=up)
    assert org_position(party.working).held == Decimal("150.00")
    assert org_position(party.branch1).held == 0


def test_a_reversal_after_passing_up_is_refused(party: Party) -> None:
    d = _give(party, 0, "100")
    services.remittance_send(actor=party.treasurer, org=party.branch1, amount="100")
    with pytest.raises(Conflict) as caught:
        services.donation_reverse(actor=party.treasurer, donation=d, note="错了")
    assert caught.value.code == "insufficient_held"


def test_another_communitys_treasurer_cannot_write_here(party: Party) -> None:
    with pytest.raises(ValidationError) as caught:
        services.donation_record(
            actor=party.zg_treasurer, member=party.members[0], amount="10", channel="cash"
        )
    assert "member" in caught.value.message_dict
    b = (
        services.remittance_send(
            actor=party.treasurer,
            org=party.branch1,
            amount="1",
        )
        if _give(party, 0, "1")
        else None
    )
    assert b is not None
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.remittance_receive(actor=party.zg_treasurer, remittance=b)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),  # member
            st.integers(0, 3),  # days back
            st.integers(1, 30_000),  # fen
            st.booleans(),  # reversed afterwards
        ),
        min_size=1,
        max_size=15,
    )
)
def test_the_day_totals_agree_with_the_ledger(
    party: Party, gifts: list[tuple[int, int, int, bool]]
) -> None:
    """Donations backdated, on several days, some reversed: the summary read off the
    branches' day totals equals what the ledger itself says, for every day."""
    Donation.objects.filter(reverses__isnull=False).delete()
    Donation.objects.all().delete()
    BranchDay.objects.all().delete()
    today = timezone.localdate()
    for member, back, fen, undo in gifts:
        d = _give(party, member, f"{fen // 100}.{fen % 100:02d}", on=today - dt.timedelta(back))
        if undo:
            services.donation_reverse(actor=party.treasurer, donation=d, note="登记错误")
    for back in range(4):
        on = today - dt.timedelta(back)
        figures = summary(party.district, on)
        live = [(m, b, f) for m, b, f, undo in gifts if not undo]
        assert figures.amount_fen == sum(f for _m, b, f in live if b == back)
        assert figures.total_fen == sum(f for _m, b, f in live if b >= back)
        assert figures.donors == len({m for m, b, _f in live if b == back})
        assert figures.total_donors == len({m for m, b, _f in live if b >= back})
        # the policy suggests 100 yuan
        assert figures.above_suggested == len([f for _m, b, f in live if b == back and f > 10_000])
        assert figures.total_above == len([f for _m, b, f in live if b >= back and f > 10_000])


def test_a_donation_recorded_is_in_the_day_totals_at_once(party: Party) -> None:
    """The summary reads the day totals; without their recount a donation would not show."""
    _give(party, 0, "100")
    _give(party, 0, "20", on=timezone.localdate() - dt.timedelta(1))
    rows = BranchDay.objects.filter(branch=party.branch1).order_by("on")
    assert [(r.amount_fen, r.donors, r.first_donors) for r in rows] == [(2000, 1, 1), (10000, 1, 0)]
