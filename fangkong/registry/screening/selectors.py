"""Reads of screening rounds (摸排): the rounds a user may see, a round's households and
buildings, a household's visit form, a round's progress and what changed since the
previous round. Every lookup they are given has already been cut to the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from fangkong.core.ids import parse_id
from fangkong.core.scoping import subtree_q
from fangkong.registry.models import (
    Address,
    FindingStatus,
    Person,
    Residence,
    ScreeningRound,
    ScreeningVisit,
    VisitFinding,
    Whereabouts,
)


def rounds_visible(*, user: Any) -> QuerySet[ScreeningRound]:
    return (
        ScreeningRound.objects.visible_to(user)
        .select_related("area")
        .annotate(visit_count=Count("visits"))
        .order_by("-starts_on", "-id")
    )


def round_addresses(
    *,
    screening_round: ScreeningRound,
    building: str = "",
    households_only: bool = False,
    unvisited: bool = False,
) -> QuerySet[Address]:
    """Addresses under the round's area, with current residents counted and whether this
    round has visited them. `building` is a `Building.key` (a bad key finds nothing);
    `households_only` keeps addresses someone lives at or this round visited."""
    area = screening_round.area
    qs = (
        Address.objects.filter(subtree_q("area__path", area.path, using=Address.objects.db))
        .select_related("area")
        .annotate(
            residents=Count("residences", filter=Q(residences__until__isnull=True)),
            visited=Exists(
                ScreeningVisit.objects.filter(round=screening_round, address=OuterRef("pk"))
            ),
        )
        .order_by("area__path", "building", "entrance", "room")
    )
    if building:
        area_id, _, name = building.partition(":")
        area_pk = parse_id(area_id)
        if area_pk is None or not name:
            return qs.none()
        qs = qs.filter(area_id=area_pk, building=name)
    if households_only:
        qs = qs.filter(Q(residents__gt=0) | Q(visited=True))
    if unvisited:
        qs = qs.filter(visited=False)
    return qs


@dataclass(frozen=True)
class Building:
    """One building (楼栋/院) in a zone: what a worker picks first."""

    area_id: int
    area_name: str
    building: str

    @property
    def key(self) -> str:
        return f"{self.area_id}:{self.building}"

    @property
    def label(self) -> str:
        return f"{self.area_name} · {self.building}"


def round_buildings(*, screening_round: ScreeningRound) -> list[Building]:
    rows = (
        Address.objects.filter(
            subtree_q("area__path", screening_round.area.path, using=Address.objects.db)
        )
        .values_list("area_id", "area__name", "building")
        .distinct()
        .order_by("area__path", "building")
    )
    return [Building(*row) for row in rows]


@dataclass(frozen=True)
class HouseholdMember:
    """A row of the visit form: a resident, or someone this visit already recorded."""

    person: Person
    residence: Residence | None
    status: str
    away_from: str


def visit_household(
    *, screening_round: ScreeningRound, address: Address
) -> tuple[ScreeningVisit | None, list[HouseholdMember]]:
    """The household's visit in this round (if any) and the people to ask about: current
    residents, plus anyone the visit recorded who no longer lives there. Rows are
    prefilled from the visit, else from the person's registered whereabouts."""
    visit = (
        ScreeningVisit.objects.filter(round=screening_round, address=address)
        .select_related("worker")
        .first()
    )
    recorded = {f.person_id: f for f in visit.findings.select_related("person")} if visit else {}
    members: list[HouseholdMember] = []
    residences = Residence.objects.current().filter(address=address).select_related("person")
    for residence in residences.order_by("person__name", "person_id"):
        person = residence.person
        found = recorded.pop(person.pk, None)
        if found is not None:
            members.append(HouseholdMember(person, residence, found.status, found.away_from))
        elif person.whereabouts == Whereabouts.NOT_BACK:
            members.append(
                HouseholdMember(person, residence, FindingStatus.NOT_BACK, person.away_from)
            )
        else:
            members.append(HouseholdMember(person, residence, FindingStatus.PRESENT, ""))
    for found in recorded.values():
        members.append(HouseholdMember(found.person, None, found.status, found.away_from))
    return visit, members


@dataclass(frozen=True)
class RoundProgress:
    households: int
    visited: int
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.visited / self.households) if self.households else 0

    @property
    def present(self) -> int:
        return self.by_status.get(FindingStatus.PRESENT, 0)

    @property
    def not_back(self) -> int:
        return self.by_status.get(FindingStatus.NOT_BACK, 0)

    @property
    def moved_out(self) -> int:
        return self.by_status.get(FindingStatus.MOVED_OUT, 0)


def round_progress(*, round: ScreeningRound) -> RoundProgress:
    """Households in the round's area (addresses with someone living there, or already
    visited in this round) against the households visited, and findings by status."""
    screening_round = round
    in_area = Address.objects.filter(
        subtree_q("area__path", screening_round.area.path, using=Address.objects.db)
    )
    lived_in = Residence.objects.filter(address=OuterRef("pk"), until__isnull=True)
    visited = ScreeningVisit.objects.filter(address=OuterRef("pk"), round=screening_round)
    households = in_area.filter(Q(Exists(lived_in)) | Q(Exists(visited))).count()
    by_status = dict(
        VisitFinding.objects.filter(visit__round=screening_round)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return RoundProgress(households, screening_round.visits.count(), by_status)


def previous_round(*, round: ScreeningRound) -> ScreeningRound | None:
    """The round over the same area that started last before this one."""
    return (
        ScreeningRound.objects.filter(area_id=round.area_id, starts_on__lt=round.starts_on)
        .select_related("area")
        .order_by("-starts_on", "-id")
        .first()
    )


@dataclass(frozen=True)
class PersonChange:
    """One person whose situation differs from the previous round. A status is "" where
    that round has no finding for them."""

    person: Person
    address: Address
    status: str
    away_from: str
    previous_status: str
    previous_away_from: str

    @property
    def status_label(self) -> str:
        return str(FindingStatus(self.status).label) if self.status else gettext("本轮未见")

    @property
    def previous_status_label(self) -> str:
        return (
            str(FindingStatus(self.previous_status).label)
            if self.previous_status
            else gettext("上轮未登记")
        )


@dataclass
class RoundChanges:
    round: ScreeningRound
    previous: ScreeningRound | None
    newly_not_back: list[PersonChange] = field(default_factory=list)
    returned: list[PersonChange] = field(default_factory=list)
    newly_found: list[PersonChange] = field(default_factory=list)
    gone: list[PersonChange] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.newly_not_back) + len(self.returned) + len(self.newly_found) + len(self.gone)
        )


def _findings_by_person(screening_round: ScreeningRound) -> dict[int, VisitFinding]:
    qs = VisitFinding.objects.filter(visit__round=screening_round).select_related(
        "person", "visit__address__area"
    )
    return {f.person_id: f for f in qs}


def round_changes(*, round: ScreeningRound) -> RoundChanges:
    """What changed since the previous round over the same area (latest earlier start):
    people newly not back, returned, newly found (no finding last time, or moved out
    then), and no longer found — recorded as moved out, or missing from a household this
    round has visited (a household not visited yet says nothing)."""
    screening_round = round
    changes = RoundChanges(screening_round, previous_round(round=screening_round))
    if changes.previous is None:
        return changes
    now = _findings_by_person(screening_round)
    before = _findings_by_person(changes.previous)
    visited = set(screening_round.visits.values_list("address_id", flat=True))
    present, not_back, moved = (
        FindingStatus.PRESENT,
        FindingStatus.NOT_BACK,
        FindingStatus.MOVED_OUT,
    )

    for person_id, f in now.items():
        b = before.get(person_id)
        change = PersonChange(
            f.person,
            f.visit.address,
            f.status,
            f.away_from,
            b.status if b else "",
            b.away_from if b else "",
        )
        if f.status == moved:
            if b is None or b.status != moved:
                changes.gone.append(change)
        elif b is None or b.status == moved:
            changes.newly_found.append(change)
        elif f.status == not_back and b.status == present:
            changes.newly_not_back.append(change)
        elif f.status == present and b.status == not_back:
            changes.returned.append(change)
    for person_id, b in before.items():
        if person_id in now or b.status == moved or b.visit.address_id not in visited:
            continue
        changes.gone.append(PersonChange(b.person, b.visit.address, "", "", b.status, b.away_from))
    for people in (changes.newly_not_back, changes.returned, changes.newly_found, changes.gone):
        people.sort(key=lambda c: (str(c.address), c.person.name, c.person.pk))
    return changes
