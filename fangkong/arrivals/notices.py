"""Before arrival: advance notices (提前告知 / 报备), the policy decision, the
observation-condition inspection by a joint team (观察条件核查), the unit's responsibility
letter (《疫情防控责任书》) and unannounced spot checks; and returnees who arrive without
notice (未提前告知).

How a notice moves (every move is a service below, and each is audited):

    filed on the public page ─→ PENDING ─confirm─→ MUST_DELAY | INSPECTION | READY
                                        └reject──→ REJECTED
    filed by a worker, or an unannounced arrival: confirmed at once
    INSPECTION ─inspection passes─→ READY  (a unit also needs its signed letter)
    INSPECTION | FAILED ─inspection fails─→ FAILED (find a compliant place, or delay)
    FAILED ─another place─→ INSPECTION;  MUST_DELAY | FAILED ─another date─→ policy again

A public notice carries the policy decision from the start (so the page can tell the filer
what the rules say) but counts for nothing until a worker confirms it (`notices_counted`).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from fangkong.areas.models import Area, AreaKind
from fangkong.arrivals.models import (
    HOME_CHECKLIST,
    UNIT_CHECKLIST,
    ArrivalNotice,
    Decision,
    FiledBy,
    Inspection,
    InspectionMember,
    InspectionResult,
    NoticePerson,
    NoticeStatus,
    ObservationMode,
    ResponsibilityLetter,
    SpotCheck,
    SpotCheckResult,
)
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.crypto import blind_index, decrypt, encrypt
from fangkong.core.errors import Conflict, invalid
from fangkong.core.identity import mask_phone, normalize_phone
from fangkong.core.ids import parse_id
from fangkong.core.scoping import subtree_q
from fangkong.policy.models import OriginRisk, OriginRule, PolicyVersion
from fangkong.policy.selectors import origin_rule_for, policy_in_force
from fangkong.registry.models import (
    Address,
    Person,
    Residence,
    ResidenceKind,
    Residency,
    Whereabouts,
)
from fangkong.registry.people.cleaning import CleanPerson, Problems, clean_person
from fangkong.registry.people.services import (
    address_get_or_create,
    check_living_area,
    residence_set,
)
from fangkong.units.models import Unit

if TYPE_CHECKING:
    from fangkong.accounts.models import User

# A notice may announce an arrival up to this many days ahead (today counts as day 0).
HORIZON_DAYS = 90
# One notice, one group: a contractor's crew, not a whole company.
MAX_PEOPLE = 200
# An unannounced returnee found at a gate arrived recently; older arrivals are screening.
UNANNOUNCED_LOOKBACK_DAYS = 30

# The joint team of the 宛平城 construction-site story, in the order it names them.
JOINT_TEAM_ROLES = ("地区开复工组", "医护人员", "管片民警", "社区专员", "包片社区干部")
HOME_TEAM_ROLES = ("包片社区干部", "医护人员")

CHECKLISTS: dict[str, dict[str, str]] = {
    ObservationMode.HOME: HOME_CHECKLIST,
    ObservationMode.UNIT: UNIT_CHECKLIST,
}

# Province-level divisions (GB/T 2260) and abroad: where a returnee comes from.
PROVINCES: dict[str, str] = {
    "120000": "天津市",
    "130000": "河北省",
    "140000": "山西省",
    "150000": "内蒙古自治区",
    "210000": "辽宁省",
    "220000": "吉林省",
    "230000": "黑龙江省",
    "310000": "上海市",
    "320000": "江苏省",
    "330000": "浙江省",
    "340000": "安徽省",
    "350000": "福建省",
    "360000": "江西省",
    "370000": "山东省",
    "410000": "河南省",
    "420000": "湖北省",
    "430000": "湖南省",
    "440000": "广东省",
    "450000": "广西壮族自治区",
    "460000": "海南省",
    "500000": "重庆市",
    "510000": "四川省",
    "520000": "贵州省",
    "530000": "云南省",
    "540000": "西藏自治区",
    "610000": "陕西省",
    "620000": "甘肃省",
    "630000": "青海省",
    "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区",
    "710000": "台湾省",
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
    OriginRule.OVERSEAS: "境外",
}
BEIJING = "110000"

# Where a notice lands: a community, a village or a zone (a person lives there).
NOTICE_AREA_KINDS = (AreaKind.COMMUNITY, AreaKind.VILLAGE, AreaKind.ZONE)
OPEN_STATUSES = (NoticeStatus.INSPECTION, NoticeStatus.FAILED, NoticeStatus.MUST_DELAY)
NOT_COUNTED = (NoticeStatus.PENDING, NoticeStatus.REJECTED, NoticeStatus.CANCELLED)

_LINK_SALT = "fangkong.notice-link"
_DONE_SALT = "fangkong.notice-done"


# --- small helpers ------------------------------------------------------------------------


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _merge(
    problems: Problems, error: ValidationError, *, prefix: str = "", label: str = ""
) -> None:
    """Copy a service's field-named errors into `problems`, under `prefix`."""
    if not hasattr(error, "error_dict"):
        problems.add(prefix.rstrip(".") or "__all__", " ".join(error.messages))
        return
    for name, errors in error.error_dict.items():
        for e in errors:
            message = " ".join(e.messages)
            problems.add(f"{prefix}{name}", f"{label}{message}", e.code or "invalid")


def _actor_name(actor: User) -> str:
    return (actor.get_full_name() or actor.get_username())[:50]


def _ensure_visible(actor: User, notice: ArrivalNotice) -> None:
    """Services re-check territory: a page or API answered 404 already; a caller that
    skipped that gets a clear refusal rather than a quiet write in another community."""
    if not ArrivalNotice.objects.visible_to(actor).filter(pk=notice.pk).exists():
        raise PermissionDenied("这份报备不在您的管辖范围内")


def _actor_may_act_in(actor: User, area: Area) -> bool:
    return Area.objects.visible_to(actor).filter(pk=area.pk).exists()


def _audit(actor: User, notice: ArrivalNotice, detail: str) -> None:
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=notice, detail=detail)


def notice_reference(notice: ArrivalNotice) -> str:
    """The number a filer quotes on the phone: date filed and id, e.g. 20200302-00017."""
    created = timezone.localtime(notice.created_at) if notice.created_at else timezone.now()
    return f"{created:%Y%m%d}-{notice.pk:05d}"


# --- the per-community link of the public page ------------------------------------------


def notice_link_token(area: Area) -> str:
    """The signed token in /r/notice/<token>/: the community's code, signed."""
    return signing.Signer(salt=_LINK_SALT).sign(area.code)


def area_for_notice_token(token: str) -> Area | None:
    """The community a link belongs to, or None for a forged or stale link."""
    try:
        code = signing.Signer(salt=_LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        Area.objects.current()
        .filter(code=code, kind__in=NOTICE_AREA_KINDS)
        .select_related("parent")
        .first()
    )


def notice_done_token(notice: ArrivalNotice) -> str:
    return signing.Signer(salt=_DONE_SALT).sign(str(notice.pk))


def notice_for_done_token(token: str) -> ArrivalNotice | None:
    try:
        pk = signing.Signer(salt=_DONE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return ArrivalNotice.objects.select_related("area", "policy").filter(pk=pk).first()


# --- validation shared by the services ---------------------------------------------------


def _clean_origin(code: str, name: str, problems: Problems) -> tuple[str, str]:
    code = (code or "").strip()
    if code.lower() == OriginRule.OVERSEAS:
        code = OriginRule.OVERSEAS
    if not code:
        problems.add("origin_code", "请选择从哪里返京", "required")
        return "", ""
    province = code[:2] + "0000"
    if code == OriginRule.OVERSEAS:
        pass
    elif province == BEIJING:
        problems.add("origin_code", "北京市内往来不需要返京报备", "not_an_origin")
        return code, name
    elif not (code.isdigit() and len(code) == 6 and province in PROVINCES):
        problems.add(
            "origin_code",
            f"来源地代码“{code}”无效：应为 6 位行政区划代码（如河南省 410000）或 overseas",
            "invalid",
        )
        return code, name
    name = (name or "").strip() or PROVINCES.get(code) or PROVINCES.get(province, "")
    return code, name[:100]


def _clean_planned_on(
    value: dt.date | None, today: dt.date, problems: Problems, *, field: str = "planned_on"
) -> None:
    if value is None:
        problems.add(field, "请填写计划到京日期", "required")
    elif value < today:
        problems.add(field, f"计划到京日期 {value} 已经过去；已到京的请按“未提前告知”登记", "past")
    elif value > today + dt.timedelta(days=HORIZON_DAYS):
        problems.add(
            field,
            f"计划到京日期 {value} 超过 {HORIZON_DAYS} 天以后，请临近时再报备",
            "too_far",
        )


def _clean_people(
    people: Sequence[Mapping[str, Any]], today: dt.date, problems: Problems
) -> list[CleanPerson]:
    """Each person through the registry's own cleaning; errors named people.<i>.<field>
    (i counts from 0, as in the JSON array), the message says 第 i+1 人."""
    if not people:
        problems.add("people", "请至少填写一名返京人员", "required")
        return []
    if len(people) > MAX_PEOPLE:
        problems.add("people", f"一次最多报备 {MAX_PEOPLE} 人，请分批报备", "too_many")
        return []
    out: list[CleanPerson] = []
    seen: dict[tuple[str, str], int] = {}
    for i, raw in enumerate(people):
        data = {k: raw.get(k) for k in ("name", "document_type", "document_number", "phone")}
        try:
            clean = clean_person(data, today=today, require_document=True)
        except ValidationError as exc:
            _merge(problems, exc, prefix=f"people.{i}.", label=f"第 {i + 1} 人：")
            continue
        key = (clean.document_type, clean.document_number)
        if key in seen:
            problems.add(
                f"people.{i}.document_number",
                f"第 {i + 1} 人：证件号与第 {seen[key] + 1} 人相同",
                "duplicate",
            )
            continue
        seen[key] = i
        out.append(clean)
    return out


def _clean_filer(
    actor: User | None, filed_by: str, name: str, phone: str, problems: Problems
) -> tuple[str, str]:
    # A worker's notice says so itself; the public page offers the other three.
    if filed_by not in FiledBy.values or (actor is None and filed_by == FiledBy.WORKER):
        problems.add("filed_by", "请选择报备人身份（本人、房东或用工单位）", "invalid_choice")
    name = (name or "").strip()
    if not name:
        problems.add("filer_name", "请填写报备人姓名", "required")
    elif len(name) > 50:
        problems.add("filer_name", "姓名不能超过 50 个字", "too_long")
    e164 = ""
    if (phone or "").strip():
        try:
            e164 = normalize_phone(phone)
        except ValidationError as exc:
            problems.add("filer_phone", exc)
    elif actor is None:
        problems.add("filer_phone", "请填写联系电话，社区会打这个电话核实", "required")
    return name, e164


def _clean_mode(mode: str, problems: Problems) -> str:
    if mode not in ObservationMode.values:
        problems.add("mode", "请选择观察方式（居家、单位集中或集中观察点）", "invalid_choice")
    return mode


def _unit_fits(unit: Unit, area: Area) -> bool:
    """A unit at the community serves its zones, and a zone's unit its community."""
    return area.path.startswith(unit.area.path) or unit.area.path.startswith(area.path)


def _clean_place(
    *,
    area: Area,
    mode: str,
    building: str,
    unit: Unit | None,
    problems: Problems,
    unit_required: bool,
) -> None:
    if mode == ObservationMode.HOME and not (building or "").strip():
        problems.add("building", "居家观察请填写住址（楼栋 / 院）", "required")
    if mode == ObservationMode.UNIT:
        if unit is None and unit_required:
            problems.add("unit", "单位集中观察请选择用工单位", "required")
        elif unit is not None and not _unit_fits(unit, area):
            problems.add("unit", f"单位“{unit.name}”不在{area.name}", "wrong_area")
    elif unit is not None and mode in ObservationMode.values and not _unit_fits(unit, area):
        problems.add("unit", f"单位“{unit.name}”不在{area.name}", "wrong_area")


def _address(area: Area, building: str, entrance: str, room: str) -> Address | None:
    if not (building or "").strip():
        return None
    return address_get_or_create(area=area, building=building, entrance=entrance, room=room)


# --- the policy decision -----------------------------------------------------------------


@dataclass(frozen=True)
class PolicyDecision:
    policy: PolicyVersion
    rule: OriginRule
    decision: str
    days: int | None

    @property
    def must_delay(self) -> bool:
        return self.decision == Decision.MUST_NOT_RETURN


def policy_decide(*, origin_code: str, on: dt.date, field: str = "planned_on") -> PolicyDecision:
    """What the policy in force on `on` says for an origin: not yet, or N days."""
    try:
        policy = policy_in_force(on=on)
        rule = origin_rule_for(policy=policy, region_code=origin_code)
    except ValidationError as exc:
        problems = Problems()
        for name, errors in exc.error_dict.items():
            target = {"date": field, "origin": "origin_code"}.get(name, name)
            for e in errors:
                problems.add(target, " ".join(e.messages), e.code or "invalid")
        problems.raise_if_any()
        raise
    if rule.risk == OriginRisk.MUST_NOT_RETURN:
        return PolicyDecision(policy, rule, Decision.MUST_NOT_RETURN, None)
    return PolicyDecision(policy, rule, Decision.OBSERVE, rule.days)


def _apply_decision(notice: ArrivalNotice, decision: PolicyDecision) -> None:
    notice.policy = decision.policy
    notice.decision = decision.decision
    notice.observation_days = decision.days


def _status_after_decision(notice: ArrivalNotice) -> str:
    if notice.decision == Decision.MUST_NOT_RETURN:
        return NoticeStatus.MUST_DELAY
    if notice.mode == ObservationMode.SITE:  # a centralized site is the district's, checked
        return NoticeStatus.READY
    return NoticeStatus.INSPECTION


def _advance(notice: ArrivalNotice) -> None:
    """INSPECTION → READY once the place passed (and, for a unit, the letter is signed)."""
    if notice.status != NoticeStatus.INSPECTION:
        return
    latest = notice.inspections.order_by("-inspected_on", "-id").first()
    if latest is None or latest.result != InspectionResult.PASS:
        return
    if notice.mode == ObservationMode.UNIT and not _has_letter(notice):
        return
    notice.status = NoticeStatus.READY


def _has_letter(notice: ArrivalNotice) -> bool:
    return ResponsibilityLetter.objects.filter(notice=notice).exists()


# --- people: match by document, or register ------------------------------------------


def _find_by_document(document_type: str, number: str) -> Person | None:
    """One person per document, wherever registered (matching is not a search: nothing
    about that person is shown to a caller who may not see them)."""
    person = Person.objects.filter(
        document_type=document_type, document_index=blind_index(f"doc:{document_type}", number)
    ).first()
    while person is not None and person.merged_into_id is not None:
        person = Person.objects.filter(pk=person.merged_into_id).first()
    return person


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
    from fangkong.registry.people.services import person_register

    existing = _find_by_document(clean.document_type, clean.document_number)
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


# --- services ----------------------------------------------------------------------------


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
    today = _today(today)
    problems = Problems()
    if actor is not None and filed_by == FiledBy.WORKER and not (filer_name or "").strip():
        filer_name = _actor_name(actor)
    try:
        check_living_area(area)
    except ValidationError as exc:
        _merge(problems, exc)
    if actor is not None and not _actor_may_act_in(actor, area):
        problems.add("area", f"“{area.name}”不在您的管辖范围内", "out_of_scope")
    filer_name, filer_e164 = _clean_filer(actor, filed_by, filer_name, filer_phone, problems)
    origin_code, origin_name = _clean_origin(origin_code, origin_name, problems)
    _clean_planned_on(planned_on, today, problems)
    mode = _clean_mode(mode, problems)
    _clean_place(
        area=area,
        mode=mode,
        building=building,
        unit=unit,
        problems=problems,
        unit_required=actor is not None,
    )
    cleaned = _clean_people(people, today, problems)
    if len((note or "").strip()) > 300:
        problems.add("note", "说明不能超过 300 个字", "too_long")
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
    _apply_decision(notice, decision)
    notice.full_clean()
    notice.save()
    NoticePerson.objects.bulk_create([_row_for(notice, c, None) for c in cleaned])
    if actor is not None:
        _confirm(actor=actor, notice=notice, unit=None, today=today)
    return notice


def _confirm(*, actor: User, notice: ArrivalNotice, unit: Unit | None, today: dt.date) -> None:
    if unit is not None:
        if not _unit_fits(unit, notice.area):
            raise invalid("unit", f"单位“{unit.name}”不在{notice.area.name}", "wrong_area")
        notice.unit = unit
    if notice.mode == ObservationMode.UNIT and notice.unit is None:
        raise invalid("unit", "单位集中观察须选定用工单位（可先登记单位）", "required")
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
    _apply_decision(notice, policy_decide(origin_code=notice.origin_code, on=notice.planned_on))
    notice.status = _status_after_decision(notice)
    notice.confirmed_by = actor
    notice.confirmed_at = timezone.now()
    notice.full_clean()
    notice.save()
    _audit(
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
    _ensure_visible(actor, notice)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.PENDING:
        raise invalid(
            "status", f"这份报备已是“{notice.get_status_display()}”，不能再确认", "not_pending"
        )
    _confirm(actor=actor, notice=notice, unit=unit, today=_today(today))
    return notice


@transaction.atomic
def notice_reject(*, actor: User, notice: ArrivalNotice, reason: str) -> ArrivalNotice:
    """The community does not believe the notice (a prank, a duplicate, a wrong number)."""
    _ensure_visible(actor, notice)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", "请写明不予采信的原因", "required")
    if notice.status != NoticeStatus.PENDING:
        raise invalid(
            "status", f"这份报备已是“{notice.get_status_display()}”，不能再驳回", "not_pending"
        )
    notice.status = NoticeStatus.REJECTED
    notice.note = f"未采信：{reason}" + (f"｜{notice.note}" if notice.note else "")
    notice.note = notice.note[:300]
    notice.confirmed_by = actor
    notice.confirmed_at = timezone.now()
    notice.save(update_fields=["status", "note", "confirmed_by", "confirmed_at"])
    _audit(actor, notice, f"不予采信返京报备：{reason}")
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
    _ensure_visible(actor, notice)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    today = _today(today)
    if notice.status not in (*OPEN_STATUSES, NoticeStatus.READY):
        raise invalid("status", f"这份报备是“{notice.get_status_display()}”，不能修改", "not_open")
    problems = Problems()
    if planned_on is None and not (building or "").strip():
        problems.add("planned_on", "请填写新的到京日期或新的住址", "required")
    if planned_on is not None:
        _clean_planned_on(planned_on, today, problems)
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
    _apply_decision(notice, policy_decide(origin_code=notice.origin_code, on=notice.planned_on))
    if notice.decision == Decision.MUST_NOT_RETURN:
        notice.status = NoticeStatus.MUST_DELAY
    elif notice.status == NoticeStatus.MUST_DELAY:
        notice.status = _status_after_decision(notice)
    _advance(notice)
    notice.full_clean()
    notice.save()
    _audit(actor, notice, "修改返京报备：" + ("；".join(changes) or "重新按政策判定"))
    return notice


def _clean_checklist(
    kind: str, checklist: Mapping[str, Any], problems: Problems
) -> dict[str, bool]:
    items = CHECKLISTS[kind]
    out: dict[str, bool] = {}
    for code in checklist:
        if code not in items:
            problems.add(f"checklist.{code}", f"没有“{code}”这一核查项", "unknown_item")
    for code in items:
        value = checklist.get(code, False)
        if not isinstance(value, bool):
            problems.add(f"checklist.{code}", "核查项只能是“是”或“否”", "invalid")
            value = False
        out[code] = value
    return out


def _clean_team(team: Iterable[tuple[str, str]], problems: Problems) -> list[tuple[str, str]]:
    members: list[tuple[str, str]] = []
    for i, (name, role) in enumerate(team):
        name, role = (name or "").strip(), (role or "").strip()
        if not name and not role:
            continue
        if not name:
            problems.add(f"team.{i}.name", f"第 {i + 1} 位核查人员请填写姓名", "required")
        if not role:
            problems.add(f"team.{i}.role", f"第 {i + 1} 位核查人员请填写职责", "required")
        if len(name) > 50 or len(role) > 50:
            problems.add(f"team.{i}.name", "姓名和职责各不能超过 50 个字", "too_long")
        members.append((name, role))
    if not members:
        problems.add("team", "请填写核查组成员（姓名和职责）", "required")
    return members


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    notice: ArrivalNotice,
    kind: str,
    checklist: Mapping[str, Any],
    team: Iterable[tuple[str, str]],
    inspected_on: dt.date | None,
    reasons: str = "",
    today: dt.date | None = None,
) -> Inspection:
    """观察条件核查 of the place a notice names. It passes only if every item holds; a
    failure names its reasons and the notice then tells the returnee to find a compliant
    place or delay the return."""
    _ensure_visible(actor, notice)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    today = _today(today)
    if notice.status not in (NoticeStatus.INSPECTION, NoticeStatus.FAILED):
        raise invalid(
            "status",
            f"这份报备是“{notice.get_status_display()}”，现在不需要核查观察条件",
            "not_inspecting",
        )
    problems = Problems()
    if kind not in CHECKLISTS:
        problems.add("kind", "核查对象只能是居家观察住所或单位集中观察场所", "invalid_choice")
    elif kind != notice.mode:
        problems.add(
            "kind",
            f"这份报备是{notice.get_mode_display()}，请按{notice.get_mode_display()}条件核查",
            "wrong_kind",
        )
    # The checklist is judged against the notice's own kind; with a wrong kind, only that.
    right_kind = kind in CHECKLISTS and kind == notice.mode
    items = _clean_checklist(kind, checklist, problems) if right_kind else {}
    members = _clean_team(team, problems)
    if inspected_on is None:
        problems.add("inspected_on", "请填写核查日期", "required")
    elif inspected_on > today:
        problems.add("inspected_on", "核查日期不能晚于今天", "future_date")
    passed = bool(items) and all(items.values())
    reasons = (reasons or "").strip()
    if not passed and not reasons and right_kind:
        problems.add("reasons", "有不符合的核查项，请写明不符合的原因", "required")
    if len(reasons) > 300:
        problems.add("reasons", "原因不能超过 300 个字", "too_long")
    problems.raise_if_any()
    assert inspected_on is not None  # checked above

    inspection = Inspection(
        notice=notice,
        kind=kind,
        checklist=items,
        result=InspectionResult.PASS if passed else InspectionResult.FAIL,
        reasons=reasons,
        inspected_on=inspected_on,
        inspector=actor,
    )
    inspection.full_clean()
    inspection.save()
    InspectionMember.objects.bulk_create(
        [InspectionMember(inspection=inspection, name=n, role=r) for n, r in members]
    )
    notice.status = NoticeStatus.INSPECTION if passed else NoticeStatus.FAILED
    _advance(notice)
    notice.save(update_fields=["status"])
    _audit(
        actor,
        notice,
        f"观察条件核查：{inspection.get_result_display()}（核查组 {len(members)} 人）",
    )
    return inspection


@transaction.atomic
def unit_for_notice(
    *, actor: User, area: Area, name: str, contact_name: str = "", contact_phone: str = ""
) -> Unit:
    """The employer of a unit observation, registered on the spot when the community
    does not have it yet (the units module manages units in full)."""
    problems = Problems()
    name = (name or "").strip()
    if not name:
        problems.add("unit_name", "请填写单位名称", "required")
    elif len(name) > 100:
        problems.add("unit_name", "单位名称不能超过 100 个字", "too_long")
    if not _actor_may_act_in(actor, area):
        problems.add("area", f"“{area.name}”不在您的管辖范围内", "out_of_scope")
    e164 = ""
    if (contact_phone or "").strip():
        try:
            e164 = normalize_phone(contact_phone)
        except ValidationError as exc:
            problems.add("unit_contact_phone", exc)
    problems.raise_if_any()
    for candidate in Unit.objects.filter(name=name).select_related("area"):
        if _unit_fits(candidate, area):
            return candidate
    unit = Unit(
        area=area,
        name=name,
        contact_name=(contact_name or "").strip()[:50],
        contact_phone_cipher=encrypt(e164) if e164 else None,
        contact_phone_masked=mask_phone(e164) if e164 else "",
    )
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def letter_sign(
    *,
    actor: User,
    notice: ArrivalNotice,
    signed_on: dt.date | None,
    unit_signatory: str,
    community_signatory: str,
    today: dt.date | None = None,
) -> ResponsibilityLetter:
    """The unit signed 《疫情防控责任书》. With a passed unit inspection the notice is
    READY; spot checks are scheduled next (`spot_checks_schedule`)."""
    _ensure_visible(actor, notice)
    notice = (
        ArrivalNotice.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=notice.pk)
    )
    today = _today(today)
    if notice.mode != ObservationMode.UNIT:
        raise invalid("notice", "只有单位集中观察需要签订责任书", "not_unit")
    if notice.unit is None:
        raise invalid("unit", "这份报备还没有选定用工单位", "required")
    if _has_letter(notice):
        raise invalid("notice", "这份报备的责任书已经签订", "already_signed")
    if notice.status != NoticeStatus.INSPECTION:
        hint = (
            "：核查未通过，请先另找符合条件的场所" if notice.status == NoticeStatus.FAILED else ""
        )
        raise invalid(
            "status",
            f"这份报备是“{notice.get_status_display()}”，不能签订责任书{hint}",
            "not_inspecting",
        )
    problems = Problems()
    for field, value, label in (
        ("unit_signatory", unit_signatory, "单位负责人"),
        ("community_signatory", community_signatory, "社区负责人"),
    ):
        if not (value or "").strip():
            problems.add(field, f"请填写{label}姓名", "required")
        elif len(value.strip()) > 50:
            problems.add(field, f"{label}姓名不能超过 50 个字", "too_long")
    if signed_on is None:
        problems.add("signed_on", "请填写签订日期", "required")
    elif signed_on > today:
        problems.add("signed_on", "签订日期不能晚于今天", "future_date")
    problems.raise_if_any()
    assert signed_on is not None  # checked above
    letter = ResponsibilityLetter(
        notice=notice,
        unit=notice.unit,
        signed_on=signed_on,
        unit_signatory=unit_signatory.strip(),
        community_signatory=community_signatory.strip(),
        recorded_by=actor,
    )
    letter.full_clean()
    letter.save()
    _advance(notice)
    notice.save(update_fields=["status"])
    _audit(actor, notice, f"签订疫情防控责任书：{notice.unit.name}")
    return letter


def observation_window(notice: ArrivalNotice) -> tuple[dt.date, dt.date]:
    """Day 1 (the planned arrival) and the last day of observation."""
    days = notice.observation_days or 1
    return notice.planned_on, notice.planned_on + dt.timedelta(days=days - 1)


@transaction.atomic
def spot_checks_schedule(
    *,
    notice: ArrivalNotice,
    count: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    seed: int | None = None,
    actor: User | None = None,
) -> list[SpotCheck]:
    """Unannounced checks of a unit observation on random days of its window (from day 2
    by default). Pending checks are drawn again; done ones stay. `seed` makes the draw
    repeatable (tests, demo); without it the dates come from the system's randomness."""
    if actor is not None:
        _ensure_visible(actor, notice)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.mode != ObservationMode.UNIT:
        raise invalid("notice", "只有单位集中观察安排不定期抽查", "not_unit")
    if notice.status not in (NoticeStatus.READY, NoticeStatus.ARRIVED):
        raise invalid("notice", "核查通过并签订责任书后才能安排抽查", "not_ready")
    first, last = observation_window(notice)
    start = start or min(first + dt.timedelta(days=1), last)
    end = end or last
    problems = Problems()
    if not first <= start <= last:
        problems.add("start", f"开始日期应在观察期内（{first} 至 {last}）", "out_of_window")
    if not first <= end <= last:
        problems.add("end", f"结束日期应在观察期内（{first} 至 {last}）", "out_of_window")
    if start > end:
        problems.add("end", "结束日期不能早于开始日期", "order")
    problems.raise_if_any()
    done = set(
        notice.spot_checks.exclude(result=SpotCheckResult.PENDING).values_list(
            "scheduled_on", flat=True
        )
    )
    days = [
        start + dt.timedelta(days=i)
        for i in range((end - start).days + 1)
        if start + dt.timedelta(days=i) not in done
    ]
    if not 1 <= count <= len(days):
        raise invalid("count", f"抽查次数应在 1 到 {len(days)} 之间（每天最多一次）", "invalid")
    rng: random.Random = (
        random.Random(seed)  # noqa: S311 - a repeatable draw of dates, not a secret
        if seed is not None
        else secrets.SystemRandom()
    )
    notice.spot_checks.filter(result=SpotCheckResult.PENDING).delete()
    checks = SpotCheck.objects.bulk_create(
        [SpotCheck(notice=notice, scheduled_on=d) for d in sorted(rng.sample(days, count))]
    )
    if actor is not None:
        _audit(actor, notice, f"安排不定期抽查 {count} 次")
    return checks


@transaction.atomic
def spot_check_record(
    *,
    actor: User,
    check: SpotCheck,
    done_on: dt.date | None,
    result: str,
    findings: str = "",
    today: dt.date | None = None,
) -> SpotCheck:
    if not SpotCheck.objects.visible_to(actor).filter(pk=check.pk).exists():
        raise PermissionDenied("这次抽查不在您的管辖范围内")
    check = (
        SpotCheck.objects.select_for_update(of=("self",)).select_related("notice").get(pk=check.pk)
    )
    today = _today(today)
    if check.result != SpotCheckResult.PENDING:
        raise invalid("check", "这次抽查已经记录过", "already_recorded")
    problems = Problems()
    if result not in (SpotCheckResult.COMPLIANT, SpotCheckResult.PROBLEM):
        problems.add("result", "请选择抽查结果（严格遵守或发现问题）", "invalid_choice")
    findings = (findings or "").strip()
    if result == SpotCheckResult.PROBLEM and not findings:
        problems.add("findings", "发现问题时请写明情况", "required")
    if len(findings) > 300:
        problems.add("findings", "情况不能超过 300 个字", "too_long")
    if done_on is None:
        problems.add("done_on", "请填写抽查日期", "required")
    elif done_on > today:
        problems.add("done_on", "抽查日期不能晚于今天", "future_date")
    elif done_on < check.notice.planned_on:
        problems.add("done_on", "抽查日期早于到京日期", "too_early")
    problems.raise_if_any()
    check.done_on = done_on
    check.result = result
    check.findings = findings
    check.checked_by = actor
    check.full_clean()
    check.save()
    _audit(actor, check.notice, f"不定期抽查：{check.get_result_display()}")
    return check


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
    today = _today(today)
    problems = Problems()
    try:
        check_living_area(area)
    except ValidationError as exc:
        _merge(problems, exc)
    if not _actor_may_act_in(actor, area):
        problems.add("area", f"“{area.name}”不在您的管辖范围内", "out_of_scope")
    origin_code, origin_name = _clean_origin(origin_code, origin_name, problems)
    if arrived_on is None:
        problems.add("arrived_on", "请填写到京日期", "required")
    elif arrived_on > today:
        problems.add("arrived_on", "到京日期不能晚于今天；还没到的请提前报备", "future_date")
    elif arrived_on < today - dt.timedelta(days=UNANNOUNCED_LOOKBACK_DAYS):
        problems.add(
            "arrived_on",
            f"到京已超过 {UNANNOUNCED_LOOKBACK_DAYS} 天，请在摸排登记中处理",
            "too_old",
        )
    mode = _clean_mode(mode, problems)
    _clean_place(
        area=area, mode=mode, building=building, unit=unit, problems=problems, unit_required=True
    )
    kind = residence_kind or (ResidenceKind.TENANT if landlord else ResidenceKind.OWNER)
    if kind not in ResidenceKind.values:
        problems.add("residence_kind", f"未知居住类型“{kind}”", "invalid_choice")
    if landlord is not None and kind != ResidenceKind.TENANT:
        problems.add("landlord", "只有租住才有房东", "not_tenant")
    if (
        landlord is not None
        and not Person.objects.visible_to(actor).filter(pk=landlord.pk).exists()
    ):
        problems.add("landlord", "房东不在您的辖区", "out_of_scope")
    clean: CleanPerson | None = None
    try:
        clean = clean_person(dict(person_data), today=today, require_document=True)
    except ValidationError as exc:
        _merge(problems, exc, prefix="person.")
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
    if landlord is not None and landlord.pk == person.pk:
        raise invalid("landlord", "房东不能是本人", "self")
    if not new and person.whereabouts != Whereabouts.IN_BEIJING:
        # They are here now, whatever the last screening said.
        Person.objects.filter(pk=person.pk).update(
            whereabouts=Whereabouts.IN_BEIJING, away_from="", updated_at=timezone.now()
        )
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
        filer_name=_actor_name(actor),
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
    _apply_decision(notice, decision)
    notice.status = _status_after_decision(notice)
    notice.full_clean()
    notice.save()
    _row_for(notice, clean, person).save()
    _audit(
        actor,
        notice,
        f"登记未提前告知的返京人员（{'新登记' if new else '已登记'}）；"
        f"{notice.get_decision_display()}，{notice.get_status_display()}",
    )
    return notice


# --- selectors -----------------------------------------------------------------------------


def notices_for(
    *, user: Any, status: str = "", area: Area | None = None, q: str = ""
) -> QuerySet[ArrivalNotice]:
    """Notices the user may see; pending confirmation first, then by planned date."""
    qs = (
        ArrivalNotice.objects.visible_to(user)
        .select_related("area", "unit", "policy", "address")
        .annotate(
            people_count=Count("people", distinct=True),
            pending_first=Case(
                When(status=NoticeStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
    )
    if status:
        qs = qs.filter(status=status)
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area.path, using=qs.db))
    q = q.strip()
    if q:
        ref_pk = parse_id(q.rsplit("-", 1)[-1])
        match = Q(people__name__contains=q) | Q(filer_name__contains=q)
        match |= Q(origin_name__contains=q) | Q(unit__name__contains=q)
        if ref_pk is not None:
            match |= Q(pk=ref_pk)
        qs = qs.filter(match).distinct()
    return qs.order_by("pending_first", "planned_on", "-created_at", "-id")


def notices_counted(qs: QuerySet[ArrivalNotice]) -> QuerySet[ArrivalNotice]:
    """Notices that count in figures: confirmed ones (not pending, rejected, cancelled)."""
    return qs.exclude(status__in=NOT_COUNTED)


def notice_status_counts(*, user: Any) -> dict[str, int]:
    rows = (
        ArrivalNotice.objects.visible_to(user)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {status: n for status, n in rows}
    return {status: counts.get(status, 0) for status in NoticeStatus.values}


def notice_next_step(notice: ArrivalNotice) -> str:
    """The one sentence a worker needs: what to do about this notice now."""
    days = notice.observation_days
    status = notice.status
    if status == NoticeStatus.PENDING:
        return (
            f"待社区核实：请电话联系报备人{notice.filer_name}"
            f"（{notice.filer_phone_masked or '无电话'}）核实情况，"
            "属实的点“确认”，不属实的点“不予采信”。"
        )
    if status == NoticeStatus.MUST_DELAY:
        policy = notice.policy.label if notice.policy else "现行政策"
        if notice.unannounced:
            return (
                f"按“{policy}”，来自{notice.origin_name}的人员暂缓返京，但此人已到京："
                "请立即报告街乡防控办并联系医务人员，按要求转集中观察。"
            )
        return (
            f"按“{policy}”，来自{notice.origin_name}的人员暂缓返京：请电话告知本人暂不返京，"
            "政策调整后改期再报备。"
        )
    if status == NoticeStatus.INSPECTION:
        if notice.mode == ObservationMode.UNIT:
            passed = notice.inspections.filter(result=InspectionResult.PASS).exists()
            if passed:
                return "单位集中观察条件核查已通过：请与单位签订《疫情防控责任书》（可先打印）。"
            return (
                "请约地区开复工组、医护人员、管片民警、社区专员、包片社区干部到单位现场，"
                "核查是否符合单位集中观察条件；通过后签订《疫情防控责任书》。"
            )
        where = f"到 {notice.address} " if notice.address else ""
        return f"请社区干部协同医务人员{where}核查是否符合居家观察条件。"
    if status == NoticeStatus.FAILED:
        latest = notice.inspections.order_by("-inspected_on", "-id").first()
        why = f"（{latest.reasons}）" if latest and latest.reasons else ""
        return (
            f"观察条件不符合{why}：请提前告知返京人员另找符合条件的住所（改住址后重新核查），"
            "或延后返京。"
        )
    if status == NoticeStatus.READY:
        text = f"可以返京：到京当天为观察第 1 天，共观察 {days} 天。"
        if notice.mode == ObservationMode.UNIT:
            text += "观察期间社区不定期抽查单位是否严格遵守集中观察。"
        return text
    if status == NoticeStatus.ARRIVED:
        return "已到京，按观察期要求每天上午、下午各报告一次体温。"
    if status == NoticeStatus.REJECTED:
        return "社区未采信这份报备。"
    return "这份报备已取消。"


@dataclass
class NoticePersonView:
    row: NoticePerson
    visible: bool  # the linked registry record lies in the viewer's area


def notice_people(*, notice: ArrivalNotice, user: Any) -> list[NoticePersonView]:
    rows = list(notice.people.order_by("id"))
    linked = [r.person_id for r in rows if r.person_id]
    visible = set(
        Person.objects.visible_to(user).filter(pk__in=linked).values_list("pk", flat=True)
    )
    return [NoticePersonView(r, r.person_id in visible) for r in rows]


def notice_landlords(*, notice: ArrivalNotice, user: Any) -> list[Person]:
    """The landlords to contact about the people of a notice (their current homes), as far
    as the viewer may see them."""
    person_ids = [pid for pid in notice.people.values_list("person_id", flat=True) if pid]
    landlord_ids = (
        Residence.objects.current()
        .filter(person_id__in=person_ids, landlord__isnull=False)
        .values_list("landlord_id", flat=True)
    )
    return list(Person.objects.visible_to(user).filter(pk__in=list(landlord_ids)))


@dataclass
class LetterSheet:
    """What one printed responsibility letter says, from the unit's and notice's data."""

    notice: ArrivalNotice
    unit: Unit
    letter: ResponsibilityLetter | None
    people: int
    days: int
    first_day: dt.date
    last_day: dt.date
    policy: PolicyVersion | None


def letters_for_print(*, user: Any, ids: Iterable[int]) -> list[LetterSheet]:
    """Letters for the unit notices among `ids` the user may see (unsigned ones print
    blank for signing on paper)."""
    wanted = list(dict.fromkeys(ids))
    notices = (
        ArrivalNotice.objects.visible_to(user)
        .filter(pk__in=wanted, mode=ObservationMode.UNIT, unit__isnull=False)
        .exclude(decision=Decision.MUST_NOT_RETURN)
        .exclude(status__in=NOT_COUNTED)
        .select_related("unit", "area", "policy", "address", "letter")
        .annotate(people_count=Count("people"))
    )
    by_id = {n.pk: n for n in notices}
    sheets = []
    for pk in wanted:
        notice = by_id.get(pk)
        if notice is None or notice.unit is None:
            continue
        first, last = observation_window(notice)
        letter = ResponsibilityLetter.objects.filter(notice=notice).first()
        sheets.append(
            LetterSheet(
                notice=notice,
                unit=notice.unit,
                letter=letter,
                people=notice.people_count,
                days=notice.observation_days or 0,
                first_day=first,
                last_day=last,
                policy=notice.policy,
            )
        )
    return sheets


def units_for_area(*, area: Area) -> QuerySet[Unit]:
    """Units a notice to `area` may name: in its community (or its zones)."""
    community = area.parent if area.kind == AreaKind.ZONE and area.parent else area
    return Unit.objects.filter(subtree_q("area__path", community.path)).order_by("name")


def checklist_rows(inspection: Inspection) -> list[tuple[str, bool]]:
    items = CHECKLISTS.get(inspection.kind, {})
    return [(label, bool(inspection.checklist.get(code))) for code, label in items.items()]
