"""Advance notices and unannounced arrivals: the only code that changes them (filing,
confirming, rejecting, rescheduling, registering an arrival without notice, and the
employer a unit observation names). Each move is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area
from fangkong.arrivals.models import (
    ArrivalNotice,
    Decision,
    FiledBy,
    NoticePerson,
    NoticeStatus,
    ObservationMode,
)
from fangkong.arrivals.notices.rules import (
    OPEN_STATUSES,
    UNANNOUNCED_LOOKBACK_DAYS,
    actor_name,
    advance,
    apply_decision,
    clean_filer,
    clean_mode,
    clean_origin,
    clean_people,
    clean_place,
    clean_planned_on,
    merge_errors,
    policy_decide,
    status_after_decision,
    today_or,
    unit_serves,
)
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.crypto import decrypt, encrypt
from fangkong.core.errors import Conflict, invalid
from fangkong.core.identity import mask_phone, normalize_phone
from fangkong.core.scoping import ensure_visible, is_visible
from fangkong.registry.models import (
    Address,
    Person,
    ResidenceKind,
    Residency,
    Whereabouts,
)
from fangkong.registry.people.cleaning import CleanPerson, Problems, clean_person
from fangkong.registry.people.selectors import person_with_document
from fangkong.registry.people.services import (
    address_get_or_create,
    check_living_area,
    person_mark_back,
    person_register,
    residence_set,
)
from fangkong.units.models import Unit, UnitKind
from fangkong.units.services import unit_get_or_register

if TYPE_CHECKING:
    from fangkong.accounts.models import User


def notice_audit(actor: User, notice: ArrivalNotice, detail: str) -> None:
    """One audit row for a change to a notice (its inspections, letter and checks too)."""
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=notice, detail=detail)


def _address(area: Area, building: str, entrance: str, room: str) -> Address | None:
    if not (building or "").strip():
        return None
    return address_get_or_create(area=area, building=building, entrance=entrance, room=room)


# --- people: match by document, or register ------------------------------------------


def _match_or_register(
    *,
    actor: User,
    area: Area,
    clean: CleanPerson,
    residency: str,
    whereabouts: str,
    away_from: str,
    employer: Unit | None,
    today: dt.date,
) -> tuple[Person, bool]:
    """(person, registered_now)."""
    existing = person_with_document(clean.document_type, clean.document_number)
    if existing is not None:
        return existing, False
    data = {
        "name": clean.name,
        "document_type": clean.document_type,
        "document_number": clean.document_number,
        "phone": clean.phone,
        "residency": residency,
        "whereabouts": whereabouts,
        "away_from": away_from if whereabouts == Whereabouts.NOT_BACK else "",
    }
    try:
        person = person_register(actor=actor, area=area, data=data, employer=employer, today=today)
    except Conflict as exc:  # registered a moment ago by someone else
        return Person.objects.get(pk=exc.extra["id"]), False
    return person, True


def _held_elsewhere(person: Person, field: str) -> Conflict:
    """A person registered in another jurisdiction is handed over by the community that
    holds them, never rewritten from here (the answer names that community, to phone)."""
    holder = person.area.name if person.area_id else _("其他辖区")
    return Conflict(
        field,
        _(
            "此人登记在“%(holder)s”，不在您的辖区，不能在这里修改：可在“人员转交”申请转入，由该社区同意后转过来"
        )
        % {"holder": holder},
        code="other_jurisdiction",
        area=person.area.code if person.area_id else None,
    )


def _clean_from_row(row: NoticePerson, today: dt.date) -> CleanPerson:
    data = {
        "name": row.name,
        "document_type": row.document_type,
        "document_number": decrypt(row.document_cipher) if row.document_cipher else "",
        "phone": decrypt(row.phone_cipher) if row.phone_cipher else "",
    }
    return clean_person(data, today=today, require_document=True)


def _row_for(notice: ArrivalNotice, clean: CleanPerson, person: Person | None) -> NoticePerson:
    return NoticePerson(
        notice=notice,
        person=person,
        name=clean.name,
        document_type=clean.document_type,
        document_cipher=encrypt(clean.document_number),
        document_masked=clean.document_masked,
        phone_cipher=encrypt(clean.phone) if clean.phone else None,
        phone_masked=clean.phone_masked,
    )


# --- filing, confirming, rejecting, rescheduling -------------------------------------------


@transaction.atomic
def notice_file(
    *,
    actor: User | None,
    area: Area,
    filed_by: str,
    filer_name: str,
    filer_phone: str = "",
    origin_code: str,
    origin_name: str = "",
    planned_on: dt.date | None,
    mode: str,
    people: Sequence[Mapping[str, Any]],
    building: str = "",
    entrance: str = "",
    room: str = "",
    unit: Unit | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> ArrivalNotice:
    """File an advance notice. From the public page (`actor` None) it waits as PENDING
    until a worker confirms it; a worker's own notice is confirmed at once."""
    today = today_or(today)
    problems = Problems()
    if actor is not None and filed_by == FiledBy.WORKER and not (filer_name or "").strip():
        filer_name = actor_name(actor)
    try:
        check_living_area(area)
    except ValidationError as exc:
        merge_errors(problems, exc)
    if actor is not None and not is_visible(area, actor):
        problems.add(
            "area", _("“%(area)s”不在您的管辖范围内") % {"area": area.name}, "out_of_scope"
        )
    filer_name, filer_e164 = clean_filer(actor, filed_by, filer_name, filer_phone, problems)
    origin_code, origin_name = clean_origin(origin_code, origin_name, problems)
    clean_planned_on(planned_on, today, problems)
    mode = clean_mode(mode, problems)
    clean_place(
        area=area,
        mode=mode,
        building=building,
        unit=unit,
        problems=problems,
        unit_required=actor is not None,
    )
    cleaned = clean_people(people, today, problems)
    if len((note or "").strip()) > 300:
        problems.add("note", _("说明不能超过 300 个字"), "too_long")
    problems.raise_if_any()
    assert planned_on is not None  # checked above
    decision = policy_decide(origin_code=origin_code, on=planned_on)

    notice = ArrivalNotice(
        area=area,
        filed_by=filed_by,
        filer_name=filer_name,
        filer_phone_cipher=encrypt(filer_e164) if filer_e164 else None,
        filer_phone_masked=mask_phone(filer_e164) if filer_e164 else "",
        unit=unit,
        origin_code=origin_code,
        origin_name=origin_name,
        planned_on=planned_on,
        address=_address(area, building, entrance, room),
        mode=mode,
        status=NoticeStatus.PENDING,
        note=(note or "").strip(),
        created_by=actor,
    )
    apply_decision(notice, decision)
    notice.full_clean()
    notice.save()
    NoticePerson.objects.bulk_create([_row_for(notice, c, None) for c in cleaned])
    if actor is not None:
        _confirm(actor=actor, notice=notice, unit=None, today=today)
    return notice


def _confirm(*, actor: User, notice: ArrivalNotice, unit: Unit | None, today: dt.date) -> None:
    if unit is not None:
        if not unit_serves(unit, notice.area):
            raise invalid(
                "unit",
                _("单位“%(unit)s”不在%(area)s") % {"unit": unit.name, "area": notice.area.name},
                "wrong_area",
            )
        notice.unit = unit
    if notice.mode == ObservationMode.UNIT and notice.unit is None:
        raise invalid("unit", _("单位集中观察须选定用工单位（可先登记单位）"), "required")
    by_third_party = notice.filed_by in (FiledBy.LANDLORD, FiledBy.EMPLOYER)
    residence_kind = {
        FiledBy.LANDLORD: ResidenceKind.TENANT,
        FiledBy.EMPLOYER: ResidenceKind.DORMITORY,
    }.get(FiledBy(notice.filed_by))
    employer = notice.unit if notice.filed_by == FiledBy.EMPLOYER else None
    registered = 0
    rows = list(notice.people.all())
    for row in rows:
        person, new = _match_or_register(
            actor=actor,
            area=notice.area,
            clean=_clean_from_row(row, today),
            residency=Residency.MIGRANT if by_third_party else Residency.REGISTERED,
            whereabouts=Whereabouts.NOT_BACK,
            away_from=notice.origin_name,
            employer=employer,
            today=today,
        )
        if new:
            registered += 1
            # Only a newcomer's home is set from a notice: a known person's registry
            # record changes when they arrive, not when someone announces them.
            if notice.address is not None and residence_kind is not None:
                residence_set(person=person, address=notice.address, kind=residence_kind)
        row.person = person
    NoticePerson.objects.bulk_update(rows, ["person"])
    apply_decision(notice, policy_decide(origin_code=notice.origin_code, on=notice.planned_on))
    notice.status = status_after_decision(notice)
    notice.confirmed_by = actor
    notice.confirmed_at = timezone.now()
    notice.full_clean()
    notice.save()
    notice_audit(
        actor,
        notice,
        f"确认返京报备：{len(rows)} 人，其中新登记 {registered} 人；"
        f"{notice.get_decision_display()}，{notice.get_status_display()}",
    )


@transaction.atomic
def notice_confirm(
    *,
    actor: User,
    notice: ArrivalNotice,
    unit: Unit | None = None,
    today: dt.date | None = None,
) -> ArrivalNotice:
    """A worker has called the filer and believes the notice: match each person to the
    registry by document (or register them here) and apply the policy decision."""
    ensure_visible(notice, actor)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.PENDING:
        raise invalid(
            "status",
            _("这份报备已是“%(status)s”，不能再确认") % {"status": notice.get_status_display()},
            "not_pending",
        )
    _confirm(actor=actor, notice=notice, unit=unit, today=today_or(today))
    return notice


@transaction.atomic
def notice_reject(*, actor: User, notice: ArrivalNotice, reason: str) -> ArrivalNotice:
    """The community does not believe the notice (a prank, a duplicate, a wrong number)."""
    ensure_visible(notice, actor)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请写明不予采信的原因"), "required")
    if notice.status != NoticeStatus.PENDING:
        raise invalid(
            "status",
            _("这份报备已是“%(status)s”，不能再驳回") % {"status": notice.get_status_display()},
            "not_pending",
        )
    notice.status = NoticeStatus.REJECTED
    notice.note = f"未采信：{reason}" + (f"｜{notice.note}" if notice.note else "")
    notice.note = notice.note[:300]
    notice.confirmed_by = actor
    notice.confirmed_at = timezone.now()
    notice.save(update_fields=["status", "note", "confirmed_by", "confirmed_at"])
    notice_audit(actor, notice, f"不予采信返京报备：{reason}")
    return notice


@transaction.atomic
def notice_reschedule(
    *,
    actor: User,
    notice: ArrivalNotice,
    planned_on: dt.date | None = None,
    building: str = "",
    entrance: str = "",
    room: str = "",
    today: dt.date | None = None,
) -> ArrivalNotice:
    """What a failed or delayed notice does next: a later date (the policy is applied
    again for that date) and/or another place (which needs its own inspection)."""
    ensure_visible(notice, actor)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    today = today_or(today)
    if notice.status not in (*OPEN_STATUSES, NoticeStatus.READY):
        raise invalid(
            "status",
            _("这份报备是“%(status)s”，不能修改") % {"status": notice.get_status_display()},
            "not_open",
        )
    problems = Problems()
    if planned_on is None and not (building or "").strip():
        problems.add("planned_on", _("请填写新的到京日期或新的住址"), "required")
    if planned_on is not None:
        clean_planned_on(planned_on, today, problems)
    problems.raise_if_any()
    changes = []
    if planned_on is not None and planned_on != notice.planned_on:
        changes.append(f"到京日期 {notice.planned_on} → {planned_on}")
        notice.planned_on = planned_on
    if (building or "").strip():
        address = _address(notice.area, building, entrance, room)
        if address is not None and address.pk != notice.address_id:
            changes.append(f"住址改为 {address}")
            notice.address = address
            # A new place has not been inspected: that starts over.
            if notice.mode != ObservationMode.SITE:
                notice.status = NoticeStatus.INSPECTION
    apply_decision(notice, policy_decide(origin_code=notice.origin_code, on=notice.planned_on))
    if notice.decision == Decision.MUST_NOT_RETURN:
        notice.status = NoticeStatus.MUST_DELAY
    elif notice.status == NoticeStatus.MUST_DELAY:
        notice.status = status_after_decision(notice)
    advance(notice)
    notice.full_clean()
    notice.save()
    notice_audit(actor, notice, "修改返京报备：" + ("；".join(changes) or "重新按政策判定"))
    return notice


@transaction.atomic
def unit_for_notice(
    *, actor: User, area: Area, name: str, contact_name: str = "", contact_phone: str = ""
) -> Unit:
    """The employer of a unit observation: the unit of that name serving the area, or one
    registered on the spot, both through the units app (which manages units in full)."""
    problems = Problems()
    name = (name or "").strip()
    if not name:
        problems.add("unit_name", _("请填写单位名称"), "required")
    elif len(name) > 100:
        problems.add("unit_name", _("单位名称不能超过 100 个字"), "too_long")
    if not is_visible(area, actor):
        problems.add(
            "area", _("“%(area)s”不在您的管辖范围内") % {"area": area.name}, "out_of_scope"
        )
    e164 = ""
    if (contact_phone or "").strip():
        try:
            e164 = normalize_phone(contact_phone)
        except ValidationError as exc:
            problems.add("unit_contact_phone", exc)
    problems.raise_if_any()
    return unit_get_or_register(
        area=area,
        name=name,
        kind=UnitKind.ENTERPRISE,
        contact_name=contact_name,
        contact_phone_e164=e164,
        field="unit_name",
    )


# --- unannounced arrivals -------------------------------------------------------------------


@transaction.atomic
def unannounced_register(
    *,
    actor: User,
    area: Area,
    person_data: Mapping[str, Any],
    origin_code: str,
    origin_name: str = "",
    arrived_on: dt.date | None,
    building: str = "",
    entrance: str = "",
    room: str = "",
    landlord: Person | None = None,
    mode: str = ObservationMode.HOME,
    unit: Unit | None = None,
    residence_kind: str | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> ArrivalNotice:
    """A returnee who came without notice (stopped at a gate: no pass). In one step:
    the person is matched or registered, their home set with the landlord to contact, and
    a confirmed notice flagged `unannounced` carries the policy decision and opens the
    inspection of the place."""
    today = today_or(today)
    problems = Problems()
    try:
        check_living_area(area)
    except ValidationError as exc:
        merge_errors(problems, exc)
    if not is_visible(area, actor):
        problems.add(
            "area", _("“%(area)s”不在您的管辖范围内") % {"area": area.name}, "out_of_scope"
        )
    origin_code, origin_name = clean_origin(origin_code, origin_name, problems)
    if arrived_on is None:
        problems.add("arrived_on", _("请填写到京日期"), "required")
    elif arrived_on > today:
        problems.add("arrived_on", _("到京日期不能晚于今天；还没到的请提前报备"), "future_date")
    elif arrived_on < today - dt.timedelta(days=UNANNOUNCED_LOOKBACK_DAYS):
        problems.add(
            "arrived_on",
            _("到京已超过 %(unannounced_lookback_days)s 天，请在摸排登记中处理")
            % {"unannounced_lookback_days": UNANNOUNCED_LOOKBACK_DAYS},
            "too_old",
        )
    mode = clean_mode(mode, problems)
    clean_place(
        area=area, mode=mode, building=building, unit=unit, problems=problems, unit_required=True
    )
    kind = residence_kind or (ResidenceKind.TENANT if landlord else ResidenceKind.OWNER)
    if kind not in ResidenceKind.values:
        problems.add(
            "residence_kind", _("未知居住类型“%(kind)s”") % {"kind": kind}, "invalid_choice"
        )
    if landlord is not None and kind != ResidenceKind.TENANT:
        problems.add("landlord", _("只有租住才有房东"), "not_tenant")
    if landlord is not None and not is_visible(landlord, actor):
        problems.add("landlord", _("房东不在您的辖区"), "out_of_scope")
    clean: CleanPerson | None = None
    try:
        clean = clean_person(dict(person_data), today=today, require_document=True)
    except ValidationError as exc:
        merge_errors(problems, exc, prefix="person.")
    problems.raise_if_any()
    assert clean is not None and arrived_on is not None
    decision = policy_decide(origin_code=origin_code, on=arrived_on, field="arrived_on")

    residency = str(person_data.get("residency") or "") or (
        Residency.MIGRANT if landlord is not None else Residency.REGISTERED
    )
    person, new = _match_or_register(
        actor=actor,
        area=area,
        clean=clean,
        residency=residency if residency in Residency.values else Residency.REGISTERED,
        whereabouts=Whereabouts.IN_BEIJING,
        away_from="",
        employer=unit,
        today=today,
    )
    if not new and not is_visible(person, actor):
        raise _held_elsewhere(person, "person.document_number")
    if landlord is not None and landlord.pk == person.pk:
        raise invalid("landlord", _("房东不能是本人"), "self")
    if not new:  # they are here now, whatever the last screening said
        person_mark_back(person=person)
    address = _address(area, building, entrance, room)
    if address is not None:
        if mode == ObservationMode.UNIT and not residence_kind:
            kind = ResidenceKind.DORMITORY
        residence_set(
            person=person, address=address, kind=kind, since=arrived_on, landlord=landlord
        )
    notice = ArrivalNotice(
        area=area,
        filed_by=FiledBy.WORKER,
        filer_name=actor_name(actor),
        unit=unit,
        origin_code=origin_code,
        origin_name=origin_name,
        planned_on=arrived_on,
        address=address,
        mode=mode,
        note=(note or "").strip()[:300],
        unannounced=True,
        created_by=actor,
        confirmed_by=actor,
        confirmed_at=timezone.now(),
    )
    apply_decision(notice, decision)
    notice.status = status_after_decision(notice)
    notice.full_clean()
    notice.save()
    _row_for(notice, clean, person).save()
    notice_audit(
        actor,
        notice,
        f"登记未提前告知的返京人员（{'新登记' if new else '已登记'}）；"
        f"{notice.get_decision_display()}，{notice.get_status_display()}",
    )
    return notice
