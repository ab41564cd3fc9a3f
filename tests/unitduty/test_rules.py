"""Measure 8 of the notice, room by room, at each limit: ≥ 4 m² per person and ≤ 6 per
room; underground ≥ 5 m², ≤ 2, no bunk beds. Measure 9: on site ≤ 50 %."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fangkong.unitduty.rules import (
    BUNK_BEDS,
    TOO_MANY,
    TOO_SMALL,
    DormLimits,
    onsite_breach,
    room_failures,
)

LIMITS = DormLimits(Decimal("4.0"), 6, Decimal("5.0"), 2, False)


def _fails(area: str, people: int, *, bunk: bool = False, underground: bool = False) -> list[str]:
    return room_failures(
        area_m2=Decimal(area), occupants=people, bunk_beds=bunk, underground=underground,
        limits=LIMITS,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("area", "people", "underground", "bunk", "failures"),
    [
        ("24.0", 6, False, False, []),  # exactly 4 m² each, exactly 6
        ("23.9", 6, False, False, [TOO_SMALL]),
        ("28.0", 7, False, False, [TOO_MANY]),  # 4 m² each but 7 people
        ("20.0", 7, False, False, [TOO_SMALL, TOO_MANY]),
        ("12.0", 3, False, True, []),  # bunk beds are allowed above ground
        ("10.0", 2, True, False, []),  # underground: exactly 5 m² each, exactly 2
        ("9.9", 2, True, False, [TOO_SMALL]),
        ("15.0", 3, True, False, [TOO_MANY]),
        ("10.0", 2, True, True, [BUNK_BEDS]),
        ("8.0", 0, True, True, []),  # nobody lives there
    ],
)
def test_a_room_against_the_limits(
    area: str, people: int, underground: bool, bunk: bool, failures: list[str]
) -> None:
    assert _fails(area, people, bunk=bunk, underground=underground) == failures


def test_the_on_site_rate_may_reach_the_limit_but_not_pass_it() -> None:
    half = Decimal("0.500")
    assert not onsite_breach(on_site=50, expected=100, limit=half)
    assert onsite_breach(on_site=51, expected=100, limit=half)
    assert not onsite_breach(on_site=51, expected=100, limit=None)
    assert not onsite_breach(on_site=0, expected=0, limit=half)
