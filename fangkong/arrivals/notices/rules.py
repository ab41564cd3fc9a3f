"""The rules the notice and inspection services share: limits, where a returnee may come
from, the checks of a notice's fields, the policy decision and the status it leads to.
Nothing here writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, AreaKind
from fangkong.arrivals.models import (
    ArrivalNotice,
    Decision,
    FiledBy,
    InspectionResult,
    NoticeStatus,
    ObservationMode,
    ResponsibilityLetter,
)
from fangkong.core.identity import normalize_phone
from fangkong.policy.models import OriginRisk, OriginRule, PolicyVersion
from fangkong.policy.selectors import origin_rule_for, policy_in_force
from fangkong.registry.people.cleaning import CleanPerson, Problems, clean_person
from fangkong.units.models import Unit
from fangkong.units.selectors import units_for_area

if TYPE_CHECKING:
    from fangkong.accounts.models import User

# A notice may announce an arrival up to this many days ahead (today counts as day 0).
HORIZON_DAYS = 90
# One notice, one group: a contractor's crew, not a whole company.
MAX_PEOPLE = 200
# An unannounced returnee found at a gate arrived recently; older arrivals are screening.
UNANNOUNCED_LOOKBACK_DAYS = 30

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


# --- small helpers ------------------------------------------------------------------------


def today_or(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def merge_errors(
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


def actor_name(actor: User) -> str:
    return (actor.get_full_name() or actor.get_username())[:50]


def observation_window(notice: ArrivalNotice) -> tuple[dt.date, dt.date]:
    """Day 1 (the planned arrival) and the last day of observation."""
    days = notice.observation_days or 1
    return notice.planned_on, notice.planned_on + dt.timedelta(days=days - 1)


# --- validation shared by the services ---------------------------------------------------


def clean_origin(code: str, name: str, problems: Problems) -> tuple[str, str]:
    code = (code or "").strip()
    if code.lower() == OriginRule.OVERSEAS:
        code = OriginRule.OVERSEAS
    if not code:
        problems.add("origin_code", _("请选择从哪里返京"), "required")
        return "", ""
    province = code[:2] + "0000"
    if code == OriginRule.OVERSEAS:
        pass
    elif province == BEIJING:
        problems.add("origin_code", _("北京市内往来不需要返京报备"), "not_an_origin")
        return code, name
    elif not (code.isdigit() and len(code) == 6 and province in PROVINCES):
        problems.add(
            "origin_code",
            _("来源地代码“%(code)s”无效：应为 6 位行政区划代码（如河南省 410000）或 overseas")
            % {"code": code},
            "invalid",
        )
        return code, name
    name = (name or "").strip() or PROVINCES.get(code) or PROVINCES.get(province, "")
    return code, name[:100]


def clean_planned_on(
    value: dt.date | None, today: dt.date, problems: Problems, *, field: str = "planned_on"
) -> None:
    if value is None:
        problems.add(field, _("请填写计划到京日期"), "required")
    elif value < today:
        problems.add(
            field,
            _("计划到京日期 %(date)s 已经过去；已到京的请按“未提前告知”登记") % {"date": value},
            "past",
        )
    elif value > today + dt.timedelta(days=HORIZON_DAYS):
        problems.add(
            field,
            _("计划到京日期 %(date)s 超过 %(days)s 天以后，请临近时再报备")
            % {"date": value, "days": HORIZON_DAYS},
            "too_far",
        )


def clean_people(
    people: Sequence[Mapping[str, Any]], today: dt.date, problems: Problems
) -> list[CleanPerson]:
    """Each person through the registry's own cleaning; errors named people.<i>.<field>
    (i counts from 0, as in the JSON array), the message says 第 i+1 人."""
    if not people:
        problems.add("people", _("请至少填写一名返京人员"), "required")
        return []
    if len(people) > MAX_PEOPLE:
        problems.add(
            "people",
            _("一次最多报备 %(max_people)s 人，请分批报备") % {"max_people": MAX_PEOPLE},
            "too_many",
        )
        return []
    out: list[CleanPerson] = []
    seen: dict[tuple[str, str], int] = {}
    for i, raw in enumerate(people):
        data = {k: raw.get(k) for k in ("name", "document_type", "document_number", "phone")}
        try:
            clean = clean_person(data, today=today, require_document=True)
        except ValidationError as exc:
            merge_errors(
                problems,
                exc,
                prefix=f"people.{i}.",
                label=_("第 %(number)s 人：") % {"number": i + 1},
            )
            continue
        key = (clean.document_type, clean.document_number)
        if key in seen:
            problems.add(
                f"people.{i}.document_number",
                _("第 %(number)s 人：证件号与第 %(other)s 人相同")
                % {"number": i + 1, "other": seen[key] + 1},
                "duplicate",
            )
            continue
        seen[key] = i
        out.append(clean)
    return out


def clean_filer(
    actor: User | None, filed_by: str, name: str, phone: str, problems: Problems
) -> tuple[str, str]:
    # A worker's notice says so itself; the public page offers the other three.
    if filed_by not in FiledBy.values or (actor is None and filed_by == FiledBy.WORKER):
        problems.add("filed_by", _("请选择报备人身份（本人、房东或用工单位）"), "invalid_choice")
    name = (name or "").strip()
    if not name:
        problems.add("filer_name", _("请填写报备人姓名"), "required")
    elif len(name) > 50:
        problems.add("filer_name", _("姓名不能超过 50 个字"), "too_long")
    e164 = ""
    if (phone or "").strip():
        try:
            e164 = normalize_phone(phone)
        except ValidationError as exc:
            problems.add("filer_phone", exc)
    elif actor is None:
        problems.add("filer_phone", _("请填写联系电话，社区会打这个电话核实"), "required")
    return name, e164


def clean_mode(mode: str, problems: Problems) -> str:
    if mode not in ObservationMode.values:
        problems.add("mode", _("请选择观察方式（居家、单位集中或集中观察点）"), "invalid_choice")
    return mode


def unit_serves(unit: Unit, area: Area) -> bool:
    """Whether a notice to `area` may name `unit`: one that serves the area by the units
    app's rule (at the area, above it or below it)."""
    return any(candidate.pk == unit.pk for candidate in units_for_area(area=area))


def clean_place(
    *,
    area: Area,
    mode: str,
    building: str,
    unit: Unit | None,
    problems: Problems,
    unit_required: bool,
) -> None:
    if mode == ObservationMode.HOME and not (building or "").strip():
        problems.add("building", _("居家观察请填写住址（楼栋 / 院）"), "required")
    if mode == ObservationMode.UNIT:
        if unit is None and unit_required:
            problems.add("unit", _("单位集中观察请选择用工单位"), "required")
        elif unit is not None and not unit_serves(unit, area):
            problems.add(
                "unit",
                _("单位“%(unit)s”不在%(area)s") % {"unit": unit.name, "area": area.name},
                "wrong_area",
            )
    elif unit is not None and mode in ObservationMode.values and not unit_serves(unit, area):
        problems.add(
            "unit",
            _("单位“%(unit)s”不在%(area)s") % {"unit": unit.name, "area": area.name},
            "wrong_area",
        )


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


def apply_decision(notice: ArrivalNotice, decision: PolicyDecision) -> None:
    notice.policy = decision.policy
    notice.decision = decision.decision
    notice.observation_days = decision.days


def status_after_decision(notice: ArrivalNotice) -> str:
    if notice.decision == Decision.MUST_NOT_RETURN:
        return NoticeStatus.MUST_DELAY
    if notice.mode == ObservationMode.SITE:  # a centralized site is the district's, checked
        return NoticeStatus.READY
    return NoticeStatus.INSPECTION


def advance(notice: ArrivalNotice) -> None:
    """INSPECTION → READY once the place passed (and, for a unit, the letter is signed)."""
    if notice.status != NoticeStatus.INSPECTION:
        return
    latest = notice.inspections.order_by("-inspected_on", "-id").first()
    if latest is None or latest.result != InspectionResult.PASS:
        return
    if notice.mode == ObservationMode.UNIT and not has_letter(notice):
        return
    notice.status = NoticeStatus.READY


def has_letter(notice: ArrivalNotice) -> bool:
    return ResponsibilityLetter.objects.filter(notice=notice).exists()
