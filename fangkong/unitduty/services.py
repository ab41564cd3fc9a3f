"""The only writers of units' duty: the daily unit report with its sick absences (a fever
raises an alert for the area's medical staff through arrivals), the on-site rate checked
against the policy (a breach is a finding), dormitories and rooms and their check against
the policy's limits (a failing room is a finding), findings raised and closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.arrivals.health.services import alert_raise_at_gate
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.scoping import ensure_visible
from fangkong.core.temperature import parse_temperature
from fangkong.policy.selectors import fever_threshold_on, onsite_rate_limit_on, policy_in_force
from fangkong.unitduty import rules
from fangkong.unitduty.checklists import checklist
from fangkong.unitduty.models import (
    Agency,
    BuildingChief,
    ChiefSide,
    Dormitory,
    Finding,
    FindingSource,
    FindingStatus,
    Inspection,
    Letter,
    Room,
    SickAbsence,
    UnitReport,
)
from fangkong.units.models import Unit, UnitKind

MAX_STAFF = 1_000_000
DEFAULT_FEVER = Decimal("37.3")


def _count(values: dict[str, Any], field: str, default: int | None = None) -> int:
    value = values.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, _("应为整数"), "invalid")
    if not 0 <= value <= MAX_STAFF:
        raise invalid(field, _("应在 0 到 %(max)s 之间") % {"max": MAX_STAFF}, "out_of_range")
    return value


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    if required and not text:
        raise invalid(field, _("请填写此项"), "required")
    if len(text) > limit:
        raise invalid(field, _("不能超过 %(limit)s 个字") % {"limit": limit}, "too_long")
    return text


def _touched(model: type, area_id: int, on: dt.date | None = None) -> None:
    """The daily figures of the unit's area changed (reports recounts it)."""
    figures_touched.send(sender=model, areas=[area_id], on=on or timezone.localdate())


def responsible_of(unit: Unit) -> str:
    """Who answers for a unit's findings unless named: its legal representative, else its
    contact."""
    return unit.legal_representative or unit.contact_name or _("单位负责人")


def _sick_rows(
    actor: Any, report: UnitReport, sick: list[dict[str, Any]], threshold: Decimal
) -> list[SickAbsence]:
    rows = []
    for i, entry in enumerate(sick):
        prefix = f"sick.{i}"
        since = entry.get("since")
        if not isinstance(since, dt.date):
            raise invalid(f"{prefix}.since", _("请填写缺勤起始日"), "required")
        if since > report.day:
            raise invalid(f"{prefix}.since", _("缺勤起始日不能晚于报告日"), "future")
        temperature = None
        if entry.get("temperature") not in (None, ""):
            try:
                temperature = parse_temperature(entry["temperature"])
            except ValidationError as exc:  # the parser's own error, under this row's name
                raise invalid(f"{prefix}.temperature", " ".join(exc.messages), "invalid") from None
        person = entry.get("person")
        if person is not None:
            ensure_visible(person, actor, field=f"{prefix}.person")
        rows.append(
            SickAbsence(
                report=report,
                name=_text(entry.get("name"), f"{prefix}.name", 50, required=True),
                person=person,
                symptoms=_text(entry.get("symptoms"), f"{prefix}.symptoms", 100),
                since=since,
                temperature=temperature,
                fever=temperature is not None and temperature >= threshold,
            )
        )
    return rows


@transaction.atomic
def report_file(
    *,
    actor: Any,
    unit: Unit,
    day: dt.date,
    values: dict[str, Any],
    sick: list[dict[str, Any]] | None = None,
) -> UnitReport:
    """A unit's report for `day` (once a day). `values`: staff_expected, staff_on_site,
    staff_home, temperatures_checked, key_group_staff, key_group_checked, note. A sick
    absence with a fever (the policy's threshold) and a registered person raises an alert
    for the medical staff of the unit's area; an on-site rate above the policy's limit for
    the unit's kind becomes a finding."""
    ensure_visible(unit, actor, field="unit")
    if day > timezone.localdate():
        raise invalid("day", _("不能填报以后的日期"), "future")
    expected = _count(values, "staff_expected")
    on_site = _count(values, "staff_on_site")
    home = _count(values, "staff_home", 0)
    checked = _count(values, "temperatures_checked")
    key_staff = _count(values, "key_group_staff", 0)
    key_checked = _count(values, "key_group_checked", 0)
    if on_site + home > expected:
        raise invalid(
            "staff_on_site", _("在岗人数加居家办公人数不能超过应到岗人数"), "exceeds_expected"
        )
    if checked > on_site:
        raise invalid("temperatures_checked", _("已测体温人数不能超过在岗人数"), "exceeds")
    if key_checked > key_staff:
        raise invalid("key_group_checked", _("已检查人数不能超过重点群体人数"), "exceeds")
    report = UnitReport(
        unit=unit, day=day, staff_expected=expected, staff_on_site=on_site, staff_home=home,
        temperatures_checked=checked, key_group_staff=key_staff, key_group_checked=key_checked,
        note=_text(values.get("note"), "note", 200), reported_by=actor,
    )  # fmt: skip
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        existing = UnitReport.objects.get(unit=unit, day=day)
        raise Conflict(
            "day", _("%(day)s 的日报已填报") % {"day": day}, code="duplicate", id=existing.pk
        ) from None
    threshold = fever_threshold_on(day) or DEFAULT_FEVER
    for row in _sick_rows(actor, report, list(sick or []), threshold):
        if row.fever and row.person is not None:
            row.alert = alert_raise_at_gate(
                area_id=unit.area_id,
                person_id=row.person.pk,
                observation_id=None,
                temperature=row.temperature or threshold,
                detail=_("单位因病缺勤：%(unit)s") % {"unit": unit.name},
            )
        row.save()
    limit = onsite_rate_limit_on(day, unit.kind)
    if rules.onsite_breach(on_site=on_site, expected=expected, limit=limit):
        assert limit is not None
        Finding.objects.create(
            unit=unit,
            source=FindingSource.ONSITE_RATE,
            description=_("%(day)s 在岗 %(on)s / %(expected)s 人，超过在岗率上限 %(limit)s%%")
            % {"day": day, "on": on_site, "expected": expected, "limit": round(limit * 100)},
            deadline=day + dt.timedelta(days=1),
            responsible=responsible_of(unit),
            report=report,
        )
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=report, area=unit.area)
    _touched(UnitReport, unit.area_id, day)
    return report


@transaction.atomic
def finding_raise(
    *,
    actor: Any,
    unit: Unit,
    description: str,
    deadline: dt.date,
    responsible: str = "",
    source: str = FindingSource.INSPECTION,
    on: dt.date | None = None,
) -> Finding:
    """A finding of an inspection (排查整改) made on day `on` (today unless recorded
    afterwards): what to put right, by when (not before that day), who answers."""
    ensure_visible(unit, actor, field="unit")
    if not isinstance(deadline, dt.date):
        raise invalid("deadline", _("请填写整改期限"), "required")
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise invalid("on", _("不能填报以后的日期"), "future")
    if deadline < on:
        raise invalid("deadline", _("整改期限不能早于检查日"), "past")
    finding = Finding.objects.create(
        unit=unit,
        source=source,
        description=_text(description, "description", 300, required=True),
        deadline=deadline,
        responsible=_text(responsible, "responsible", 50) or responsible_of(unit),
        raised_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=finding, area=unit.area)
    _touched(Finding, unit.area_id)
    return finding


@transaction.atomic
def finding_close(*, actor: Any, finding: Finding, note: str) -> Finding:
    """Put right: closed with what was done (a re-inspection's word)."""
    ensure_visible(finding, actor)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.status == FindingStatus.CLOSED:
        raise Conflict("finding", _("该整改事项已关闭"), code="already_closed")
    finding.closing_note = _text(note, "note", 200, required=True)
    finding.status = FindingStatus.CLOSED
    finding.closed_at = timezone.now()
    finding.closed_by = actor
    finding.save(update_fields=["closing_note", "status", "closed_at", "closed_by"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=finding, detail="closed")
    _touched(Finding, finding.unit.area_id)
    return finding


@transaction.atomic
def dormitory_create(*, actor: Any, unit: Unit, name: str, address: str = "") -> Dormitory:
    ensure_visible(unit, actor, field="unit")
    name = _text(name, "name", 60, required=True)
    if Dormitory.objects.filter(unit=unit, name=name).exists():
        raise invalid("name", _("该单位已有同名宿舍"), "duplicate")
    return Dormitory.objects.create(unit=unit, name=name, address=_text(address, "address", 200))


def _area(value: Any) -> Decimal:
    try:
        area = Decimal(str(value))
    except ArithmeticError:
        raise invalid("area_m2", _("面积应为数字"), "invalid") from None
    if not area.is_finite() or not Decimal("0") < area < Decimal("100000"):
        raise invalid("area_m2", _("面积应大于 0"), "out_of_range")
    return area.quantize(Decimal("0.1"))


@transaction.atomic
def room_save(
    *,
    actor: Any,
    dormitory: Dormitory,
    name: str,
    area_m2: Any,
    occupants: Any,
    bunk_beds: bool = False,
    underground: bool = False,
) -> Room:
    """A room of a dormitory, added or (same name) changed."""
    ensure_visible(dormitory, actor, field="dormitory")
    name = _text(name, "name", 30, required=True)
    people = _count({"occupants": occupants}, "occupants")
    if people > 1000:
        raise invalid("occupants", _("居住人数过多"), "out_of_range")
    room, _created = Room.objects.update_or_create(
        dormitory=dormitory,
        name=name,
        defaults={
            "area_m2": _area(area_m2),
            "occupants": people,
            "bunk_beds": bool(bunk_beds),
            "underground": bool(underground),
        },
    )
    return room


def limits_on(day: dt.date) -> rules.DormLimits:
    policy = policy_in_force(on=day)
    return rules.DormLimits(
        min_area_m2=policy.dorm_min_area_m2,
        max_per_room=policy.dorm_max_per_room,
        underground_min_area_m2=policy.underground_min_area_m2,
        underground_max_per_room=policy.underground_max_per_room,
        underground_bunk_beds_allowed=policy.underground_bunk_beds_allowed,
    )


def failure_text(code: str, room: Room, limits: rules.DormLimits) -> str:
    underground = room.underground
    if code == rules.TOO_SMALL:
        minimum = limits.underground_min_area_m2 if underground else limits.min_area_m2
        return _("人均面积不足 %(min)s ㎡（%(area)s ㎡ 住 %(n)s 人）") % {
            "min": minimum,
            "area": room.area_m2,
            "n": room.occupants,
        }
    if code == rules.TOO_MANY:
        most = limits.underground_max_per_room if underground else limits.max_per_room
        return _("每间超过 %(max)s 人（住 %(n)s 人）") % {"max": most, "n": room.occupants}
    return _("地下宿舍不得设置上下床")


@transaction.atomic
def dormitory_check(
    *, actor: Any, dormitory: Dormitory, on: dt.date, deadline_days: int = 3
) -> list[tuple[Room, list[str]]]:
    """Check each room against the policy in force on `on`; a failing room without an open
    finding gets one (deadline in `deadline_days`). Returns the failing rooms and why."""
    ensure_visible(dormitory, actor, field="dormitory")
    limits = limits_on(on)
    failing = []
    unit = dormitory.unit
    for room in dormitory.rooms.all():
        codes = rules.room_failures(
            area_m2=room.area_m2, occupants=room.occupants, bunk_beds=room.bunk_beds,
            underground=room.underground, limits=limits,
        )  # fmt: skip
        if not codes:
            continue
        failing.append((room, codes))
        if not room.findings.filter(status=FindingStatus.OPEN).exists():
            Finding.objects.create(
                unit=unit,
                source=FindingSource.DORMITORY,
                description=f"{dormitory.name} {room.name}："
                + "；".join(failure_text(code, room, limits) for code in codes),
                deadline=on + dt.timedelta(days=deadline_days),
                responsible=responsible_of(unit),
                room=room,
                raised_by=actor,
            )
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=dormitory, area=unit.area,
        detail=f"check: {len(failing)} failing",
    )  # fmt: skip
    _touched(Finding, unit.area_id)
    return failing


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    unit: Unit,
    agency: str,
    failed: dict[str, str],
    deadline: dt.date,
    responsible: str = "",
    on: dt.date | None = None,
) -> Inspection:
    """An inspection against the unit kind's checklist: `failed` maps each item that
    failed (its code) to what was seen; each becomes a finding with the deadline and the
    person responsible. An inspection with nothing failed is recorded too."""
    ensure_visible(unit, actor, field="unit")
    if agency not in Agency.values:
        raise invalid("agency", _("没有这个检查部门"), "invalid")
    items = checklist(unit.kind)
    for code in failed:
        if code not in items:
            raise invalid(
                "failed", _("“%(code)s”不在该类单位的检查表中") % {"code": code}, "invalid"
            )
    on = on or timezone.localdate()
    inspection = Inspection.objects.create(
        unit=unit, agency=agency, on=on, failed=sorted(failed), by=actor
    )
    for code, seen in failed.items():
        text = _text(seen, f"failed.{code}", 200)
        finding = finding_raise(
            actor=actor, unit=unit, description=f"{items[code]}" + (f"：{text}" if text else ""),
            deadline=deadline, responsible=responsible, on=on,
        )  # fmt: skip
        finding.inspection = inspection
        finding.save(update_fields=["inspection"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=inspection, area=unit.area)
    return inspection


@transaction.atomic
def letter_record(
    *, actor: Any, unit: Unit, signed_by: str, signed_on: dt.date, expires_on: dt.date
) -> Letter:
    """The unit's signed responsibility letter (《疫情防控责任书》) and when it expires."""
    ensure_visible(unit, actor, field="unit")
    if signed_on > timezone.localdate():
        raise invalid("signed_on", _("签署日期不能晚于今天"), "future")
    if expires_on <= signed_on:
        raise invalid("expires_on", _("有效期应晚于签署日期"), "invalid")
    letter = Letter.objects.create(
        unit=unit, signed_by=_text(signed_by, "signed_by", 50, required=True),
        signed_on=signed_on, expires_on=expires_on, recorded_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=letter, area=unit.area)
    return letter


@transaction.atomic
def chief_set(*, actor: Any, unit: Unit, side: str, name: str) -> BuildingChief:
    """Name a commercial building's chief for one side (双楼长: the street's and the
    property manager's); a new name replaces the side's chief."""
    ensure_visible(unit, actor, field="unit")
    if unit.kind != UnitKind.COMMERCIAL_BUILDING:
        raise invalid("unit", _("双楼长只设在商务楼宇"), "not_commercial_building")
    if side not in ChiefSide.values:
        raise invalid("side", _("指派方应为街道或物业"), "invalid")
    chief, _created = BuildingChief.objects.update_or_create(
        unit=unit,
        side=side,
        defaults={
            "name": _text(name, "name", 50, required=True),
            "appointed_on": timezone.localdate(),
        },
    )
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=chief, area=unit.area)
    return chief
