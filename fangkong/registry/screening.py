"""Screening rounds (摸排): a named door-to-door pass over an area between two dates.

Each visit (走访) records one household: who is there, who is not back yet and where they
are, the observation conditions (居家观察条件) and the worker. A finding also updates the
person, so the registry says what the latest visit saw. Per round a community sees what
changed since the previous round over the same area.

Services (`round_create`, `visit_record`) are the only writers; the selectors below them
read, and every lookup they are given has already been cut to the caller's scope.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import invalid
from fangkong.core.ids import parse_id
from fangkong.core.scoping import scope_filter, subtree_q
from fangkong.registry.models import (
    Address,
    FindingStatus,
    Person,
    Residence,
    ResidenceKind,
    ScreeningRound,
    ScreeningVisit,
    VisitFinding,
    Whereabouts,
)
from fangkong.registry.services import residence_set

MAX_ROUND_DAYS = 90
AWAY_FROM_MAX = 100


class Finding(NamedTuple):
    """What a visit found about one person. `kind` is the residence kind for someone
    found living here who was not registered at this address (新发现); when left empty
    their previous kind is kept, or 租住 if they had none."""

    person: Person
    status: str
    away_from: str = ""
    kind: str = ""


# --- services ---------------------------------------------------------------------------


def _in_scope(model: type[Any], actor: Any, pk: int) -> bool:
    condition = scope_filter(model, actor)
    qs = model._default_manager.filter(pk=pk)
    return (qs if condition is None else qs.filter(condition)).exists()  # type: ignore[no-any-return]


def _is_under(area: Area, ancestor: Area) -> bool:
    return area.path.startswith(ancestor.path)


@transaction.atomic
def round_create(
    *, actor: Any, area: Area, name: str, starts_on: dt.date, ends_on: dt.date
) -> ScreeningRound:
    """Start a round over a community, village or zone the actor is responsible for."""
    if not _in_scope(Area, actor, area.pk):
        raise invalid("area", f"“{area.name}”不在您的管辖范围内", "out_of_scope")
    if area.kind not in LIVING_KINDS:
        raise invalid(
            "area",
            f"摸排按社区、村或片区进行，“{area.name}”是{area.get_kind_display()}",
            "wrong_level",
        )
    if area.retired_on is not None:
        raise invalid("area", f"“{area.name}”已撤销", "retired")
    name = name.strip()
    if not name:
        raise invalid("name", "请填写摸排名称", "required")
    if ends_on < starts_on:
        raise invalid("ends_on", "结束日期不能早于开始日期", "before_start")
    if (ends_on - starts_on).days + 1 > MAX_ROUND_DAYS:
        raise invalid("ends_on", f"一轮摸排最长 {MAX_ROUND_DAYS} 天", "too_long")
    screening_round = ScreeningRound(
        area=area,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    screening_round.full_clean()
    screening_round.save()
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=screening_round, detail=f"新建摸排“{name}”"
    )
    return screening_round


def _check_findings(
    *, actor: Any, findings: Sequence[Finding | tuple[Any, ...]], may_move_out: set[int]
) -> list[Finding]:
    """Validate each finding, naming the row (findings.<i>.<field>) of the first problem."""
    checked: list[Finding] = []
    seen: set[int] = set()
    for i, raw in enumerate(findings):
        f = Finding(*raw)
        person, status, kind = f.person, f.status, f.kind
        away_from = (f.away_from or "").strip()
        where = f"findings.{i}"
        if person.merged_into_id is not None or not _in_scope(Person, actor, person.pk):
            raise invalid(f"{where}.person", "该人员不存在或不在您的管辖范围内", "unknown_person")
        if person.pk in seen:
            raise invalid(f"{where}.person", f"{person.name}在本次走访中登记了两次", "duplicate")
        seen.add(person.pk)
        if status not in FindingStatus.values:
            raise invalid(f"{where}.status", f"未知情况“{status}”", "invalid_choice")
        if status == FindingStatus.NOT_BACK and not away_from:
            raise invalid(f"{where}.away_from", f"{person.name}未返京，请填写所在地", "required")
        if len(away_from) > AWAY_FROM_MAX:
            raise invalid(f"{where}.away_from", f"所在地最多 {AWAY_FROM_MAX} 个字", "too_long")
        if status == FindingStatus.MOVED_OUT and person.pk not in may_move_out:
            raise invalid(
                f"{where}.status", f"{person.name}不住在这一户，不能登记为已搬离", "not_resident"
            )
        if kind and kind not in ResidenceKind.values:
            raise invalid(f"{where}.kind", f"未知居住类型“{kind}”", "invalid_choice")
        # The place only means something for someone who is away.
        checked.append(
            Finding(person, status, away_from if status == FindingStatus.NOT_BACK else "", kind)
        )
    return checked


def _visit_for_update(*, screening_round: ScreeningRound, address: Address) -> ScreeningVisit:
    """The household's visit in this round, locked; a new (unsaved) one if none yet."""
    visit = (
        ScreeningVisit.objects.select_for_update()
        .filter(round=screening_round, address=address)
        .first()
    )
    return visit or ScreeningVisit(round=screening_round, address=address)


def _save_visit(visit: ScreeningVisit) -> ScreeningVisit:
    if visit.pk is not None:
        visit.save()
        return visit
    try:
        with transaction.atomic():  # a savepoint, so a lost race leaves the outer one usable
            visit.save()
    except IntegrityError:
        # Another worker recorded this household a moment ago: ours updates theirs.
        existing = _visit_for_update(screening_round=visit.round, address=visit.address)
        if existing.pk is None:
            raise
        visit.pk, visit._state.adding = existing.pk, False
        visit.save()
    return visit


def _newer_news_exists(person: Person, visit: ScreeningVisit) -> bool:
    # Visits can be entered late; an older visit must not overwrite what a newer one saw.
    return (
        VisitFinding.objects.filter(person=person, visit__visited_on__gt=visit.visited_on)
        .exclude(visit=visit)
        .exists()
    )


def _apply_to_person(finding: Finding, *, visit: ScreeningVisit, living_here: bool) -> None:
    person = finding.person
    if _newer_news_exists(person, visit):
        return
    if finding.status == FindingStatus.MOVED_OUT:
        for residence in Residence.objects.current().filter(person=person, address=visit.address):
            residence.until = max(visit.visited_on, residence.since or visit.visited_on)
            residence.save(update_fields=["until"])
        return
    if not living_here:  # newly found (新发现): they live here from the visit on
        previous = person.residences.order_by(F("until").desc(nulls_first=True), "-id").first()
        kind = finding.kind or (previous.kind if previous else ResidenceKind.TENANT)
        residence_set(person=person, address=visit.address, kind=kind, since=visit.visited_on)
    if finding.status == FindingStatus.NOT_BACK:
        person.whereabouts, person.away_from = Whereabouts.NOT_BACK, finding.away_from
    else:
        person.whereabouts, person.away_from = Whereabouts.IN_BEIJING, ""
    person.save(update_fields=["whereabouts", "away_from", "updated_at"])


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    round: ScreeningRound,  # the domain's word; callers pass round=
    address: Address,
    visited_on: dt.date,
    findings: Sequence[Finding | tuple[Any, ...]],
    observation_notes: str = "",
    today: dt.date | None = None,
) -> ScreeningVisit:
    """Record (or, for a household already visited in this round, update) one visit.

    Findings are kept per person: a second record changes the people it names and keeps
    the others. Someone named who does not live at the address is added to the household
    as newly found; `moved_out` ends their residence here."""
    screening_round = round
    if not _in_scope(ScreeningRound, actor, screening_round.pk):
        raise invalid("round", "该摸排不存在或不在您的管辖范围内", "out_of_scope")
    if not _is_under(address.area, screening_round.area):
        raise invalid(
            "address",
            f"“{address.area.name} {address}”不在本轮摸排的区域“{screening_round.area.name}”内",
            "outside_round",
        )
    if not screening_round.starts_on <= visited_on <= screening_round.ends_on:
        raise invalid(
            "visited_on",
            f"走访日期须在本轮摸排的 {screening_round.starts_on} 至 {screening_round.ends_on} 之间",
            "outside_round",
        )
    if visited_on > (today or timezone.localdate()):
        raise invalid("visited_on", "走访日期不能晚于今天", "future")
    residents = set(
        Residence.objects.current()
        .select_for_update()
        .filter(address=address)
        .values_list("person_id", flat=True)
    )
    visit = _visit_for_update(screening_round=screening_round, address=address)
    # Saving the same household again repeats "moved out" for people already gone.
    gone = (
        set(visit.findings.filter(status=FindingStatus.MOVED_OUT).values_list("person", flat=True))
        if visit.pk
        else set()
    )
    checked = _check_findings(actor=actor, findings=findings, may_move_out=residents | gone)

    visit.worker = actor
    visit.visited_on = visited_on
    visit.observation_notes = observation_notes.strip()
    visit.full_clean(validate_constraints=False)  # the unique pair is kept by _save_visit
    visit = _save_visit(visit)

    for finding in checked:
        VisitFinding.objects.update_or_create(
            visit=visit,
            person=finding.person,
            defaults={"status": finding.status, "away_from": finding.away_from},
        )
        _apply_to_person(finding, visit=visit, living_here=finding.person.pk in residents)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=visit,
        area=address.area,
        detail=f"摸排走访 {address}：登记 {len(checked)} 人",
    )
    return visit


# --- selectors --------------------------------------------------------------------------


def rounds_visible(*, user: Any) -> QuerySet[ScreeningRound]:
    return (
        ScreeningRound.objects.visible_to(user)
        .select_related("area")
        .annotate(visit_count=Count("visits"))
        .order_by("-starts_on", "-id")
    )


def round_areas(*, user: Any) -> QuerySet[Area]:
    """Where the user may start a round: current communities, villages and zones."""
    return living_areas_visible_to(user)


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
        return str(FindingStatus(self.status).label) if self.status else "本轮未见"

    @property
    def previous_status_label(self) -> str:
        return (
            str(FindingStatus(self.previous_status).label) if self.previous_status else "上轮未登记"
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
