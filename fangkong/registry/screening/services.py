"""Screening rounds (摸排): a named door-to-door pass over an area between two dates.

Each visit (走访) records one household: who is there, who is not back yet and where they
are, the observation conditions (居家观察条件) and the worker. A finding also updates the
person, so the registry says what the latest visit saw. Per round a community sees what
changed since the previous round over the same area.

`round_create` and `visit_record` are the only writers; each re-checks the caller's
territory (core.scoping). The reads are in selectors.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import invalid
from fangkong.core.scoping import ensure_visible, is_visible
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
from fangkong.registry.people.services import residence_set

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


def _is_under(area: Area, ancestor: Area) -> bool:
    return area.path.startswith(ancestor.path)


@transaction.atomic
def round_create(
    *, actor: Any, area: Area, name: str, starts_on: dt.date, ends_on: dt.date
) -> ScreeningRound:
    """Start a round over a community, village or zone the actor is responsible for."""
    ensure_visible(area, actor, field="area")
    if area.kind not in LIVING_KINDS:
        raise invalid(
            "area",
            _("摸排按社区、村或片区进行，“%(area)s”是%(kind)s")
            % {"area": area.name, "kind": area.get_kind_display()},
            "wrong_level",
        )
    if area.retired_on is not None:
        raise invalid("area", _("“%(area)s”已撤销") % {"area": area.name}, "retired")
    name = name.strip()
    if not name:
        raise invalid("name", _("请填写摸排名称"), "required")
    if ends_on < starts_on:
        raise invalid("ends_on", _("结束日期不能早于开始日期"), "before_start")
    if (ends_on - starts_on).days + 1 > MAX_ROUND_DAYS:
        raise invalid(
            "ends_on",
            _("一轮摸排最长 %(max_round_days)s 天") % {"max_round_days": MAX_ROUND_DAYS},
            "too_long",
        )
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
        if person.merged_into_id is not None or not is_visible(person, actor):
            raise invalid(
                f"{where}.person", _("该人员不存在或不在您的管辖范围内"), "unknown_person"
            )
        if person.pk in seen:
            raise invalid(
                f"{where}.person",
                _("%(person)s在本次走访中登记了两次") % {"person": person.name},
                "duplicate",
            )
        seen.add(person.pk)
        if status not in FindingStatus.values:
            raise invalid(
                f"{where}.status", _("未知情况“%(status)s”") % {"status": status}, "invalid_choice"
            )
        if status == FindingStatus.NOT_BACK and not away_from:
            raise invalid(
                f"{where}.away_from",
                _("%(person)s未返京，请填写所在地") % {"person": person.name},
                "required",
            )
        if len(away_from) > AWAY_FROM_MAX:
            raise invalid(
                f"{where}.away_from",
                _("所在地最多 %(away_from_max)s 个字") % {"away_from_max": AWAY_FROM_MAX},
                "too_long",
            )
        if status == FindingStatus.MOVED_OUT and person.pk not in may_move_out:
            raise invalid(
                f"{where}.status",
                _("%(person)s不住在这一户，不能登记为已搬离") % {"person": person.name},
                "not_resident",
            )
        if kind and kind not in ResidenceKind.values:
            raise invalid(
                f"{where}.kind", _("未知居住类型“%(kind)s”") % {"kind": kind}, "invalid_choice"
            )
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
    ensure_visible(screening_round, actor, field="round")
    if not _is_under(address.area, screening_round.area):
        raise invalid(
            "address",
            _("“%(area)s %(address)s”不在本轮摸排的区域“%(round_area)s”内")
            % {
                "area": address.area.name,
                "address": address,
                "round_area": screening_round.area.name,
            },
            "outside_round",
        )
    if not screening_round.starts_on <= visited_on <= screening_round.ends_on:
        raise invalid(
            "visited_on",
            _("走访日期须在本轮摸排的 %(starts_on)s 至 %(ends_on)s 之间")
            % {"starts_on": screening_round.starts_on, "ends_on": screening_round.ends_on},
            "outside_round",
        )
    if visited_on > (today or timezone.localdate()):
        raise invalid("visited_on", _("走访日期不能晚于今天"), "future")
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
