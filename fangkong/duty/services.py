"""The only writers of duty: posts and their shift patterns, the people on duty, rosters
(plan, copy last week, swap) and attendance (sign in / out at the post).

A roster line is refused when the person is in an overlapping shift (409 naming both
shifts), when the rest between two of their shifts is shorter than the policy in force
allows (`duty_min_rest_hours`), or
when they are under observation or had a fever alert on that day or today (read from
arrivals: reads across apps are allowed, writes are not)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fangkong.access.models import Pass
from fangkong.areas.models import Area
from fangkong.arrivals.figures import observing_on
from fangkong.arrivals.models import Alert, AlertKind, Observation
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.dates import day_bounds
from fangkong.core.errors import Conflict, invalid
from fangkong.core.scoping import ensure_visible
from fangkong.duty.models import (
    Assignment,
    Attendance,
    DutyPerson,
    DutyRole,
    Post,
    Shift,
    ShiftDay,
)
from fangkong.policy.selectors import duty_min_rest_hours_on
from fangkong.registry.models import Person
from fangkong.registry.transfers.services import person_by_document

LATE_AFTER = dt.timedelta(minutes=15)
MISSING_AFTER = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class ShiftSpec:
    name: str
    starts: dt.time
    hours: int
    needed: int = 1


# Patterns a planner picks from; a night shift crossing midnight belongs to its first day.
# The names are stored as given and shown translated (gettext_noop marks them).
PATTERNS: dict[str, tuple[ShiftSpec, ...]] = {
    "3x8": (
        ShiftSpec(gettext_noop("夜班"), dt.time(0), 8),
        ShiftSpec(gettext_noop("白班"), dt.time(8), 8),
        ShiftSpec(gettext_noop("晚班"), dt.time(16), 8),
    ),
    "2x12": (
        ShiftSpec(gettext_noop("白班"), dt.time(8), 12),
        ShiftSpec(gettext_noop("夜班"), dt.time(20), 12),
    ),
}


@transaction.atomic
def post_create(*, actor: Any, area: Area, name: str, gate: Any = None) -> Post:
    ensure_visible(area, actor, field="area")
    name = (name or "").strip()
    if not name:
        raise invalid("name", _("请填写值守点名称"), "required")
    if gate is not None:
        ensure_visible(gate, actor, field="gate")
    if Post.objects.filter(area=area, name=name).exists():
        raise Conflict("name", _("本区域已有同名值守点"), code="duplicate")
    post = Post.objects.create(area=area, name=name[:60], gate=gate)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=post, detail="值守点：新建")
    return post


@transaction.atomic
def shifts_set(
    *,
    actor: Any,
    post: Post,
    pattern: str | Sequence[ShiftSpec],
    needed: int | None = None,
    today: dt.date | None = None,
) -> list[Shift]:
    """Give `post` a shift pattern (a name of PATTERNS, or specs), from today on.

    A shift at the same start is kept (name, hours and need updated); a shift the pattern
    drops is deleted if nobody was ever rostered on it, else retired (kept for the hours
    already served, no longer planned or counted). Roster lines from today on in a dropped
    shift, or in a kept one whose hours change, stop the change (409 naming the shift and
    the count): the planner moves those people first, nobody is dropped silently."""
    ensure_visible(post, actor)
    Post.objects.select_for_update().filter(pk=post.pk).first()  # one change at a time
    if isinstance(pattern, str):
        if pattern not in PATTERNS:
            raise invalid("pattern", _("班次模式应为 3x8 或 2x12"), "invalid_choice")
        specs: Sequence[ShiftSpec] = PATTERNS[pattern]
    else:
        specs = pattern
    if needed is not None and not 1 <= needed <= 50:
        raise invalid("needed", _("每班需要人数应在 1 到 50 之间"), "out_of_range")
    today = today or timezone.localdate()
    current = {s.starts: s for s in Shift.objects.filter(post=post)}
    wanted = {spec.starts: spec for spec in specs}
    for starts, shift in current.items():
        spec = wanted.get(starts)
        if not shift.active or (spec is not None and spec.hours == shift.hours):
            continue
        ahead = shift.assignments.filter(day__gte=today).count()
        if ahead:
            raise Conflict(
                "pattern",
                _("%(shift)s %(times)s 今天起还有 %(n)s 条排班，请先调走这些人再更改班次模式")
                % {"shift": _(shift.name), "times": shift.label, "n": ahead},
                code="rostered_ahead",
            )
    kept = []
    for spec in specs:
        shift, _created = Shift.objects.update_or_create(
            post=post,
            starts=spec.starts,
            defaults={
                "name": spec.name,
                "hours": spec.hours,
                "needed": needed if needed is not None else spec.needed,
                "active": True,
            },
        )
        kept.append(shift)
    dropped = Shift.objects.filter(post=post).exclude(pk__in=[s.pk for s in kept])
    dropped.filter(assignments__isnull=True, attendances__isnull=True).delete()
    dropped.update(active=False)
    if current:
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=post,
            detail="班次模式：" + "、".join(f"{s.name} {s.label} {s.needed}人" for s in kept),
        )
    return kept


@transaction.atomic
def shift_needed_set(*, actor: Any, shift: Shift, needed: int) -> Shift:
    """Change how many people one shift needs (a night shift may need fewer)."""
    ensure_visible(shift.post, actor)
    if not shift.active:
        raise invalid("shift", _("该班次已停用"), "inactive")
    if not 1 <= needed <= 50:
        raise invalid("needed", _("每班需要人数应在 1 到 50 之间"), "out_of_range")
    before = shift.needed
    shift.needed = needed
    shift.save(update_fields=["needed"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=shift,
        area=shift.post.area,
        detail=f"班次需要人数：{shift.name} {before} → {needed}",
    )
    return shift


@transaction.atomic
def duty_person_add(
    *, actor: Any, area: Area, person: Person, role: str, unit: Any = None, account: Any = None
) -> DutyPerson:
    ensure_visible(area, actor, field="area")
    if role not in DutyRole.values:
        raise invalid("role", _("未知值守身份"), "invalid_choice")
    if unit is not None:
        ensure_visible(unit, actor, field="unit")
    found, _created = DutyPerson.objects.update_or_create(
        area=area,
        person=person,
        defaults={"role": role, "unit": unit, "account": account, "active": True},
    )
    return found


def duty_person_add_by_document(
    *,
    actor: Any,
    area: Area,
    document_type: str,
    document_number: str,
    role: str,
    unit: Any = None,
) -> DutyPerson:
    """Put a registered person on `area`'s duty list by their document number. A unit's
    volunteer often lives in another community: serving here changes nothing of their
    record there, so the person is found wherever registered (following merges)."""
    ensure_visible(area, actor, field="area")
    person = person_by_document(document_type, document_number)
    if person is None:
        raise invalid(
            "document_number",
            _("没有找到以此证件登记的人员，请先在“人员”中登记"),
            "not_found",
        )
    return duty_person_add(actor=actor, area=area, person=person, role=role, unit=unit)


def _when(assignment: Assignment) -> str:
    return f"{assignment.shift.post.name} {assignment.day:%m-%d} {assignment.shift.label}"


def check_fit(
    *, person: DutyPerson, shift: Shift, day: dt.date, exclude: Sequence[int] = ()
) -> tuple[dt.datetime, dt.datetime]:
    """Refuse `person` on (shift, day) for overlap, short rest, observation or fever."""
    start, end = shift.bounds(day)
    mine = Assignment.objects.filter(person=person).exclude(pk__in=exclude)
    mine = mine.select_related("shift__post")
    clash = mine.filter(starts_at__lt=end, ends_at__gt=start).first()
    if clash is not None:
        this = f"{shift.post.name} {day:%m-%d} {shift.label}"
        raise Conflict(
            "person",
            _("%(name)s 已排在 %(other)s，与 %(this)s 时间重叠")
            % {"name": person.person.name, "other": _when(clash), "this": this},
            code="overlap",
            assignment=clash.pk,
        )
    hours = duty_min_rest_hours_on(day)
    rest = dt.timedelta(hours=hours)
    near = (
        mine.filter(starts_at__lt=end + rest, ends_at__gt=start - rest).first() if hours else None
    )
    if near is not None:
        raise invalid(
            "person",
            _("%(name)s 在 %(other)s 值班，两班之间休息不足 %(hours)s 小时")
            % {"name": person.person.name, "other": _when(near), "hours": hours},
            "rest_too_short",
        )
    today = timezone.localdate()
    for on in {day, today}:
        if Observation.objects.filter(observing_on(on), person_id=person.person_id).exists():
            raise invalid(
                "person",
                _("%(name)s 正在观察期内，不能排班") % {"name": person.person.name},
                "under_observation",
            )
    first, last = day_bounds(today)
    fever = Alert.objects.filter(
        person_id=person.person_id, kind=AlertKind.FEVER, raised_at__gte=first, raised_at__lt=last
    )
    if fever.exists():
        raise invalid(
            "person",
            _("%(name)s 今天有发热预警，不能排班") % {"name": person.person.name},
            "fever",
        )
    return start, end


def _check_person(person: DutyPerson, shift: Shift) -> None:
    if not person.active:
        raise invalid("person", _("此人已不在值守名单中"), "inactive")
    if not shift.post.area.path.startswith(person.area.path) and not (
        person.area.path.startswith(shift.post.area.path)
    ):
        raise invalid("person", _("此人不属于该值守点所在社区"), "other_area")


def _count(shift_id: int, day: dt.date, *, rostered: int = 0, signed_in: int = 0) -> None:
    """Add to the numbers of the instance (shift, day) in `ShiftDay`, atomically: an
    UPDATE that adds; the first line of an instance creates its row (a second writer
    racing to create it finds the row and adds)."""
    change = {"rostered": F("rostered") + rostered, "signed_in": F("signed_in") + signed_in}
    if ShiftDay.objects.filter(shift_id=shift_id, day=day).update(**change):
        return
    try:
        with transaction.atomic():
            ShiftDay.objects.create(
                shift_id=shift_id, day=day, rostered=rostered, signed_in=signed_in
            )
    except IntegrityError:
        ShiftDay.objects.filter(shift_id=shift_id, day=day).update(**change)


def shift_days_rebuild(
    shift_ids: Collection[int] | None = None,
    *,
    assignment: Any = Assignment,
    attendance: Any = Attendance,
    shift_day: Any = ShiftDay,
) -> int:
    """Recount `ShiftDay` of these shifts, or of all, from the roster lines and sign-ins;
    returns the rows written. The models are parameters so that a migration can pass its
    own."""
    lines = assignment.objects.order_by().values_list("shift_id", "day")
    signs = attendance.objects.order_by().values_list("shift_id", "day")
    days = shift_day.objects.all()
    if shift_ids is not None:
        ids = list(shift_ids)
        lines, signs, days = (
            lines.filter(shift_id__in=ids),
            signs.filter(shift_id__in=ids),
            days.filter(shift_id__in=ids),
        )
    rostered = Counter(lines.iterator(chunk_size=10_000))
    signed = Counter(signs.iterator(chunk_size=10_000))
    days.delete()
    rows = [
        shift_day(shift_id=shift, day=day, rostered=rostered[(shift, day)],
                  signed_in=signed[(shift, day)])
        for shift, day in rostered.keys() | signed.keys()
    ]  # fmt: skip
    shift_day.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@transaction.atomic
def assign(
    *, actor: Any, shift: Shift, day: dt.date, person: DutyPerson, audit: bool = True
) -> Assignment:
    """Put `person` on the instance of `shift` on `day`."""
    ensure_visible(shift.post, actor)
    if not shift.active:
        raise invalid("shift", _("该班次已停用"), "inactive")
    _check_person(person, shift)
    if Assignment.objects.filter(shift=shift, day=day, person=person).exists():
        raise Conflict("person", _("此人已在该班次"), code="duplicate")
    start, end = check_fit(person=person, shift=shift, day=day)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                shift=shift,
                day=day,
                person=person,
                starts_at=start,
                ends_at=end,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise Conflict("person", _("此人已在该班次"), code="duplicate") from None
    _count(shift.pk, day, rostered=1)
    if audit:
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=assignment,
            area=shift.post.area,
            detail=f"排班：{person.person.name} {day} {shift}",
        )
    return assignment


@transaction.atomic
def unassign(*, actor: Any, assignment: Assignment) -> None:
    ensure_visible(assignment.shift.post, actor)
    if hasattr(assignment, "attendance"):
        raise Conflict("assignment", _("已签到的班次不能取消"), code="signed_in")
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=assignment,
        area=assignment.shift.post.area,
        detail=f"排班取消：{assignment.person} {assignment.day} {assignment.shift}",
    )
    _count(assignment.shift_id, assignment.day, rostered=-1)
    assignment.delete()


@transaction.atomic
def swap(*, actor: Any, first: Assignment, second: Assignment) -> tuple[Assignment, Assignment]:
    """Exchange the people of two roster lines (same post or not), each checked anew."""
    for a in (first, second):
        ensure_visible(a.shift.post, actor)
        if hasattr(a, "attendance"):
            raise Conflict("assignment", _("已签到的班次不能调换"), code="signed_in")
    if (first.shift_id, first.day) == (second.shift_id, second.day):
        raise invalid("other", _("两个排班在同一班次，无需调换"), "same_shift")
    if first.person_id == second.person_id:
        raise invalid("other", _("两个班次是同一个人，无需调换"), "same_person")
    pair = [first.pk, second.pk]
    for a, person in ((first, second.person), (second, first.person)):
        _check_person(person, a.shift)
        if (
            Assignment.objects.filter(shift=a.shift, day=a.day, person=person)
            .exclude(pk__in=pair)
            .exists()
        ):
            raise Conflict("person", _("此人已在该班次"), code="duplicate")
        check_fit(person=person, shift=a.shift, day=a.day, exclude=pair)
    one, other = first.person, second.person
    first.person, second.person = other, one
    first.save(update_fields=["person"])
    second.save(update_fields=["person"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=first,
        area=first.shift.post.area,
        detail=f"换班：{one.person.name} ⇄ {other.person.name}",
    )
    return first, second


@transaction.atomic
def copy_week(*, actor: Any, post: Post, week_start: dt.date) -> tuple[int, list[str]]:
    """Copy the roster of the week before `week_start` (a Monday) onto that week. Lines
    already there are kept; a line refused (observation, rest, overlap) is skipped and
    named."""
    ensure_visible(post, actor)
    copied, skipped = 0, []
    source = Assignment.objects.filter(
        shift__post=post,
        shift__active=True,
        day__gte=week_start - dt.timedelta(days=7),
        day__lt=week_start,
    ).select_related("shift__post__area", "person__person", "person__area")
    for line in source:
        day = line.day + dt.timedelta(days=7)
        if Assignment.objects.filter(shift=line.shift, day=day, person=line.person).exists():
            continue
        try:
            with transaction.atomic():
                assign(actor=actor, shift=line.shift, day=day, person=line.person, audit=False)
        except Conflict as exc:
            skipped.append(exc.reason)
        except ValidationError as exc:
            skipped.append(" ".join(exc.messages))
        else:
            copied += 1
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=post,
        detail=f"复制上周排班到 {week_start}：{copied} 条",
    )
    return copied, skipped


def instance_at(post: Post, now: dt.datetime) -> tuple[Shift, dt.date] | None:
    """The shift of `post` under way at `now` (a night shift started yesterday included)."""
    local = timezone.localtime(now)
    for day in (local.date(), local.date() - dt.timedelta(days=1)):
        for shift in post.shifts.filter(active=True):
            start, end = shift.bounds(day)
            if start <= now < end:
                return shift, day
    return None


def duty_person_by_pass(*, post: Post, token: str) -> DutyPerson:
    """The person on duty whose pass is `token` (the QR content) or its typed number."""
    token = (token or "").strip()
    if not token:
        raise invalid("token", _("请扫描或输入出入证"), "required")
    found = Pass.objects.filter(token=token).first() or Pass.objects.filter(number=token).first()
    if found is None:
        raise invalid("token", _("没有这张出入证"), "no_pass")
    person = (
        DutyPerson.objects.filter(person_id=found.person_id, active=True)
        .select_related("person", "area")
        .order_by("-area__path")
    )
    for candidate in person:
        if post.area.path.startswith(candidate.area.path):
            return candidate
    raise invalid("token", _("持证人不在本社区的值守名单中"), "not_on_duty")


@transaction.atomic
def sign_in(
    *, actor: Any, post: Post, person: DutyPerson, now: dt.datetime | None = None
) -> Attendance:
    """Sign `person` in at `post` for the shift under way: on the roster or unplanned;
    late when more than 15 minutes after the shift's start."""
    ensure_visible(post, actor)
    now = now or timezone.now()
    current = instance_at(post, now)
    if current is None:
        raise invalid("post", _("该值守点现在没有班次"), "no_shift")
    shift, day = current
    if not post.area.path.startswith(person.area.path) and not person.area.path.startswith(
        post.area.path
    ):
        raise invalid("person", _("此人不属于该值守点所在社区"), "other_area")
    existing = Attendance.objects.filter(shift=shift, day=day, person=person).first()
    if existing is not None:
        raise Conflict(
            "person",
            _("%(name)s 本班已签到") % {"name": person.person.name},
            code="signed_in",
            attendance=existing.pk,
        )
    planned = Assignment.objects.filter(shift=shift, day=day, person=person).first()
    start, _end = shift.bounds(day)
    _count(shift.pk, day, signed_in=1)
    return Attendance.objects.create(
        post=post,
        shift=shift,
        day=day,
        person=person,
        assignment=planned,
        signed_in_at=now,
        late=planned is not None and now > start + LATE_AFTER,
        signed_in_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def sign_out(*, actor: Any, attendance: Attendance, now: dt.datetime | None = None) -> Attendance:
    ensure_visible(attendance.post, actor)
    if attendance.signed_out_at is not None:
        raise Conflict("attendance", _("已签退"), code="signed_out")
    now = now or timezone.now()
    if now < attendance.signed_in_at:
        raise invalid("at", _("签退时间早于签到时间"), "before_sign_in")
    attendance.signed_out_at = now
    attendance.save(update_fields=["signed_out_at"])
    return attendance
