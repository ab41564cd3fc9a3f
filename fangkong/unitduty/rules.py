"""The checkable rules of the notice (《关于进一步严格疫情防控有关要求的通告》) that need no
database: a dormitory room against the policy's limits (measure 8) and the on-site rate
against its limit (measure 9)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DormLimits:
    min_area_m2: Decimal
    max_per_room: int
    underground_min_area_m2: Decimal
    underground_max_per_room: int
    underground_bunk_beds_allowed: bool


# Why a room fails: stable codes (the pages and the API word them).
TOO_SMALL = "area_per_person"
TOO_MANY = "occupants"
BUNK_BEDS = "bunk_beds"


def room_failures(
    *, area_m2: Decimal, occupants: int, bunk_beds: bool, underground: bool, limits: DormLimits
) -> list[str]:
    """What is wrong with a room: ≥ min area per person and ≤ max people per room (the
    underground limits for a room underground, where bunk beds are not allowed either). An
    empty room fails nothing."""
    if occupants == 0:
        return []
    min_area = limits.underground_min_area_m2 if underground else limits.min_area_m2
    max_people = limits.underground_max_per_room if underground else limits.max_per_room
    failures = []
    if Decimal(area_m2) < min_area * occupants:
        failures.append(TOO_SMALL)
    if occupants > max_people:
        failures.append(TOO_MANY)
    if underground and bunk_beds and not limits.underground_bunk_beds_allowed:
        failures.append(BUNK_BEDS)
    return failures


def onsite_breach(*, on_site: int, expected: int, limit: Decimal | None) -> bool:
    """Above the limit (at it is allowed); no limit or no one expected: no breach."""
    if limit is None or expected <= 0:
        return False
    return Decimal(on_site) > limit * expected
