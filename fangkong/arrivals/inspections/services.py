"""The observation-condition inspection by a joint team (观察条件核查), the unit's
responsibility letter (《疫情防控责任书》) and unannounced spot checks: the only code that
records them. Each moves its notice on (arrivals.notices) and is audited."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.arrivals.models import (
    CHECKLISTS,
    ArrivalNotice,
    Inspection,
    InspectionMember,
    InspectionResult,
    NoticeStatus,
    ObservationMode,
    ResponsibilityLetter,
    SpotCheck,
    SpotCheckResult,
)
from fangkong.arrivals.notices.rules import advance, has_letter, observation_window, today_or
from fangkong.arrivals.notices.services import notice_audit
from fangkong.core.errors import invalid
from fangkong.core.scoping import ensure_visible
from fangkong.registry.people.cleaning import Problems

if TYPE_CHECKING:
    from fangkong.accounts.models import User

# The joint team of the 宛平城 construction-site story, in the order it names them.
JOINT_TEAM_ROLES = ("地区开复工组", "医护人员", "管片民警", "社区专员", "包片社区干部")
HOME_TEAM_ROLES = ("包片社区干部", "医护人员")


def _clean_checklist(
    kind: str, checklist: Mapping[str, Any], problems: Problems
) -> dict[str, bool]:
    items = CHECKLISTS[kind]
    out: dict[str, bool] = {}
    for code in checklist:
        if code not in items:
            problems.add(
                f"checklist.{code}", _("没有“%(code)s”这一核查项") % {"code": code}, "unknown_item"
            )
    for code in items:
        value = checklist.get(code, False)
        if not isinstance(value, bool):
            problems.add(f"checklist.{code}", _("核查项只能是“是”或“否”"), "invalid")
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
            problems.add(
                f"team.{i}.name",
                _("第 %(number)s 位核查人员请填写姓名") % {"number": i + 1},
                "required",
            )
        if not role:
            problems.add(
                f"team.{i}.role",
                _("第 %(number)s 位核查人员请填写职责") % {"number": i + 1},
                "required",
            )
        if len(name) > 50 or len(role) > 50:
            problems.add(f"team.{i}.name", _("姓名和职责各不能超过 50 个字"), "too_long")
        members.append((name, role))
    if not members:
        problems.add("team", _("请填写核查组成员（姓名和职责）"), "required")
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
    ensure_visible(notice, actor)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    today = today_or(today)
    if notice.status not in (NoticeStatus.INSPECTION, NoticeStatus.FAILED):
        raise invalid(
            "status",
            _("这份报备是“%(status)s”，现在不需要核查观察条件")
            % {"status": notice.get_status_display()},
            "not_inspecting",
        )
    problems = Problems()
    if kind not in CHECKLISTS:
        problems.add("kind", _("核查对象只能是居家观察住所或单位集中观察场所"), "invalid_choice")
    elif kind != notice.mode:
        problems.add(
            "kind",
            _("这份报备是%(mode)s，请按%(mode)s条件核查") % {"mode": notice.get_mode_display()},
            "wrong_kind",
        )
    # The checklist is judged against the notice's own kind; with a wrong kind, only that.
    right_kind = kind in CHECKLISTS and kind == notice.mode
    items = _clean_checklist(kind, checklist, problems) if right_kind else {}
    members = _clean_team(team, problems)
    if inspected_on is None:
        problems.add("inspected_on", _("请填写核查日期"), "required")
    elif inspected_on > today:
        problems.add("inspected_on", _("核查日期不能晚于今天"), "future_date")
    passed = bool(items) and all(items.values())
    reasons = (reasons or "").strip()
    if not passed and not reasons and right_kind:
        problems.add("reasons", _("有不符合的核查项，请写明不符合的原因"), "required")
    if len(reasons) > 300:
        problems.add("reasons", _("原因不能超过 300 个字"), "too_long")
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
    advance(notice)
    notice.save(update_fields=["status"])
    notice_audit(
        actor,
        notice,
        f"观察条件核查：{inspection.get_result_display()}（核查组 {len(members)} 人）",
    )
    return inspection


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
    ensure_visible(notice, actor)
    notice = (
        ArrivalNotice.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=notice.pk)
    )
    today = today_or(today)
    if notice.mode != ObservationMode.UNIT:
        raise invalid("notice", _("只有单位集中观察需要签订责任书"), "not_unit")
    if notice.unit is None:
        raise invalid("unit", _("这份报备还没有选定用工单位"), "required")
    if has_letter(notice):
        raise invalid("notice", _("这份报备的责任书已经签订"), "already_signed")
    if notice.status != NoticeStatus.INSPECTION:
        text = (
            _("这份报备是“%(status)s”，不能签订责任书：核查未通过，请先另找符合条件的场所")
            if notice.status == NoticeStatus.FAILED
            else _("这份报备是“%(status)s”，不能签订责任书")
        )
        raise invalid("status", text % {"status": notice.get_status_display()}, "not_inspecting")
    problems = Problems()
    for field, value, label in (
        ("unit_signatory", unit_signatory, _("单位负责人")),
        ("community_signatory", community_signatory, _("社区负责人")),
    ):
        if not (value or "").strip():
            problems.add(field, _("请填写%(label)s姓名") % {"label": label}, "required")
        elif len(value.strip()) > 50:
            problems.add(field, _("%(label)s姓名不能超过 50 个字") % {"label": label}, "too_long")
    if signed_on is None:
        problems.add("signed_on", _("请填写签订日期"), "required")
    elif signed_on > today:
        problems.add("signed_on", _("签订日期不能晚于今天"), "future_date")
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
    advance(notice)
    notice.save(update_fields=["status"])
    notice_audit(actor, notice, f"签订疫情防控责任书：{notice.unit.name}")
    return letter


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
        ensure_visible(notice, actor)
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.mode != ObservationMode.UNIT:
        raise invalid("notice", _("只有单位集中观察安排不定期抽查"), "not_unit")
    if notice.status not in (NoticeStatus.READY, NoticeStatus.ARRIVED):
        raise invalid("notice", _("核查通过并签订责任书后才能安排抽查"), "not_ready")
    first, last = observation_window(notice)
    start = start or min(first + dt.timedelta(days=1), last)
    end = end or last
    problems = Problems()
    if not first <= start <= last:
        problems.add(
            "start",
            _("开始日期应在观察期内（%(first)s 至 %(last)s）") % {"first": first, "last": last},
            "out_of_window",
        )
    if not first <= end <= last:
        problems.add(
            "end",
            _("结束日期应在观察期内（%(first)s 至 %(last)s）") % {"first": first, "last": last},
            "out_of_window",
        )
    if start > end:
        problems.add("end", _("结束日期不能早于开始日期"), "order")
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
        raise invalid(
            "count",
            _("抽查次数应在 1 到 %(count)s 之间（每天最多一次）") % {"count": len(days)},
            "invalid",
        )
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
        notice_audit(actor, notice, f"安排不定期抽查 {count} 次")
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
    ensure_visible(check, actor)
    check = (
        SpotCheck.objects.select_for_update(of=("self",)).select_related("notice").get(pk=check.pk)
    )
    today = today_or(today)
    if check.result != SpotCheckResult.PENDING:
        raise invalid("check", _("这次抽查已经记录过"), "already_recorded")
    problems = Problems()
    if result not in (SpotCheckResult.COMPLIANT, SpotCheckResult.PROBLEM):
        problems.add("result", _("请选择抽查结果（严格遵守或发现问题）"), "invalid_choice")
    findings = (findings or "").strip()
    if result == SpotCheckResult.PROBLEM and not findings:
        problems.add("findings", _("发现问题时请写明情况"), "required")
    if len(findings) > 300:
        problems.add("findings", _("情况不能超过 300 个字"), "too_long")
    if done_on is None:
        problems.add("done_on", _("请填写抽查日期"), "required")
    elif done_on > today:
        problems.add("done_on", _("抽查日期不能晚于今天"), "future_date")
    elif done_on < check.notice.planned_on:
        problems.add("done_on", _("抽查日期早于到京日期"), "too_early")
    problems.raise_if_any()
    check.done_on = done_on
    check.result = result
    check.findings = findings
    check.checked_by = actor
    check.full_clean()
    check.save()
    notice_audit(actor, check.notice, f"不定期抽查：{check.get_result_display()}")
    return check
