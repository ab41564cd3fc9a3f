"""Observation (居家 / 集中观察), health reports, alerts, call tasks and `fangkong daily`:
the only place that changes them.

The state machine, enforced here (every transition writes an ObservationEvent with who
and when; a finished observation is never reopened — a later return is a new row):

    active ──release (on ≥ release_on)────────▶ released
      │  └──hospital (reason)──────────────────▶ hospital
      │  └──cancel (reason)────────────────────▶ cancelled
      └──extend / shorten (days, reason)──▶ active

Day counting (see arrivals.models): the arrival date is day 1, `last_day` = arrival +
days − 1, release on `release_on` = last_day + 1, by `daily_run(on=release_on)` or by a
worker on or after that date.

Health reports: one per observation, day and slot. The first report of a slot stands; the
same slot submitted again is answered "already received" with the first record and
changes nothing (an alert may hang off the first one, and a fever must not be overwritten
by a later "36.5" on the same half day). The unique constraint keeps it one row under a
race.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.arrivals.models import (
    SYMPTOMS,
    Alert,
    AlertKind,
    ArrivalNotice,
    CallTask,
    CallTaskStatus,
    HealthReport,
    NoticeStatus,
    Observation,
    ObservationEvent,
    ObservationMode,
    ObservationStatus,
    Slot,
)
from fangkong.core.errors import invalid
from fangkong.core.temperature import parse_temperature
from fangkong.policy.selectors import policy_in_force
from fangkong.registry.models import Address, Person, Whereabouts
from fangkong.registry.people.services import check_living_area
from fangkong.units.models import Unit

MAX_DAYS = 60  # the policy's own upper bound for observation days
NOON = dt.time(12, 0)
SYSTEM_NAME = "每日任务"  # the actor name of transitions made by `fangkong daily`

ACTIVE = ObservationStatus.ACTIVE
TRANSITIONS: dict[str, frozenset[str]] = {
    ObservationStatus.ACTIVE: frozenset(
        {ObservationStatus.RELEASED, ObservationStatus.HOSPITAL, ObservationStatus.CANCELLED}
    ),
    ObservationStatus.RELEASED: frozenset(),
    ObservationStatus.HOSPITAL: frozenset(),
    ObservationStatus.CANCELLED: frozenset(),
}

EVENT_LABELS = {
    "start": "开始观察",
    "extend": "延长观察",
    "shorten": "缩短观察",
    "release": "解除观察",
    "hospital": "转送医院",
    "cancel": "撤销观察",
}


# --- small helpers ----------------------------------------------------------------------
def _who(actor: Any) -> tuple[Any, str]:
    if getattr(actor, "is_authenticated", False):
        return actor, actor.get_username()
    return None, SYSTEM_NAME


def _event(
    observation: Observation,
    action: str,
    *,
    actor: Any,
    from_status: str,
    days_before: int | None = None,
    reason: str = "",
) -> ObservationEvent:
    user, name = _who(actor)
    return ObservationEvent.objects.create(
        observation=observation,
        action=action,
        from_status=from_status,
        to_status=observation.status,
        days_before=days_before if days_before is not None else observation.days,
        days_after=observation.days,
        reason=reason,
        actor=user,
        actor_name=name,
    )


def _locked(observation: Observation) -> Observation:
    """The row again, locked for this transaction (PostgreSQL; SQLite serialises writers),
    so two workers cannot both move the same observation."""
    return Observation.objects.select_for_update().select_related("policy").get(pk=observation.pk)


def _require_active(observation: Observation, doing: str) -> None:
    if observation.status != ACTIVE:
        raise invalid(
            "observation",
            f"该观察已{observation.get_status_display()}，不能{doing}",
            "not_active",
        )


def _require_transition(observation: Observation, to_status: str, doing: str) -> None:
    if to_status not in TRANSITIONS[observation.status]:
        _require_active(observation, doing)


def _reason(value: str | None, doing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid("reason", f"请填写{doing}的原因", "required")
    if len(text) > 300:
        raise invalid("reason", "原因不能超过 300 字", "too_long")
    return text


def _days(value: Any, doing: str) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise invalid("days", f"{doing}天数应为整数", "invalid") from None
    if isinstance(value, float | Decimal) and days != value:
        raise invalid("days", f"{doing}天数应为整数", "invalid")
    if not 1 <= days <= MAX_DAYS:
        raise invalid("days", f"{doing}天数应在 1 到 {MAX_DAYS} 之间", "out_of_range")
    return days


def _not_future(on: dt.date, field_name: str) -> None:
    if on > timezone.localdate():
        raise invalid(field_name, f"{on} 是将来的日期", "future")


def current_slot(now: dt.datetime | None = None) -> str:
    """The half day a report made now belongs to: before noon 上午, from noon 下午."""
    local = timezone.localtime(now)
    return Slot.MORNING if local.time() < NOON else Slot.EVENING


def due_slots(observation: Observation, on: dt.date) -> list[str]:
    """The slots a person is expected to report on `on`. On the arrival day only the
    evening: people arrive during the day, so a morning report is welcome but not owed."""
    if on == observation.arrived_on:
        return [Slot.EVENING]
    return [Slot.MORNING, Slot.EVENING]


# --- observation life cycle ----------------------------------------------------------------
@transaction.atomic
def observation_start(
    *,
    actor: Any,
    person: Person,
    area: Area,
    mode: str,
    arrived_on: dt.date,
    notice: ArrivalNotice | None = None,
    address: Address | None = None,
    unit: Unit | None = None,
    days: int | None = None,
) -> Observation:
    """Start observing `person` from `arrived_on` (day 1) under the policy in force that
    day. Refused while the person has an active observation; an earlier, finished one is
    left exactly as it is."""
    if person.merged_into_id is not None:
        raise invalid(
            "person", f"该人员记录已合并到 #{person.merged_into_id}，请对合并后的记录操作"
        )
    check_living_area(area)
    if mode not in ObservationMode.values:
        raise invalid(
            "mode",
            f"观察方式应为：{'、'.join(str(label) for label in ObservationMode.labels)}",
            "invalid",
        )
    _not_future(arrived_on, "arrived_on")
    try:
        policy = policy_in_force(on=arrived_on)
    except ValidationError as exc:
        raise invalid("arrived_on", " ".join(exc.messages), "no_policy") from None
    days = _days(policy.observation_days if days is None else days, "观察")
    last_day = arrived_on + dt.timedelta(days=days - 1)
    if last_day < timezone.localdate():
        raise invalid(
            "arrived_on",
            f"按到京日期 {arrived_on} 计算，{days} 天观察期已于 {last_day} 结束",
            "already_over",
        )
    current = Observation.objects.filter(person=person, status=ACTIVE).first()
    if current is not None:
        raise _already_observed(current)
    observation = Observation(
        person=person,
        notice=notice,
        area=area,
        mode=mode,
        address=address,
        unit=unit,
        policy=policy,
        arrived_on=arrived_on,
        days=days,
        last_day=last_day,
    )
    try:
        with transaction.atomic():  # the partial unique index decides a race
            observation.save()
    except IntegrityError:
        current = Observation.objects.filter(person=person, status=ACTIVE).first()
        if current is None:
            raise
        raise _already_observed(current) from None
    _event(observation, "start", actor=actor, from_status="", reason=f"{arrived_on} 到京")
    # Arrived means back in Beijing (未返京 → 在京).
    Person.objects.filter(pk=person.pk, whereabouts=Whereabouts.NOT_BACK).update(
        whereabouts=Whereabouts.IN_BEIJING, away_from="", updated_at=timezone.now()
    )
    return observation


def _already_observed(current: Observation) -> ValidationError:
    return invalid(
        "person",
        f"该人员正在观察中（{current.arrived_on} 起，至 {current.last_day}），不能重复开始",
        "already_observed",
    )


@transaction.atomic
def notice_arrive(*, actor: Any, notice: ArrivalNotice, arrived_on: dt.date) -> list[Observation]:
    """The people of a notice have arrived: one observation each, with the notice's mode,
    address, unit and observation days; the notice becomes ARRIVED. A notice must be
    READY (inspection passed); an unannounced arrival may also still be under inspection."""
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    allowed = {NoticeStatus.READY}
    if notice.unannounced:
        allowed.add(NoticeStatus.INSPECTION)
    if notice.status == NoticeStatus.ARRIVED:
        raise invalid("notice", "该报备已登记到京", "already_arrived")
    if notice.status not in allowed:
        raise invalid(
            "notice",
            f"报备状态为“{notice.get_status_display()}”，核查通过（可以返京）后才能登记到京",
            "not_ready",
        )
    people = list(notice.people.select_related("person").order_by("id"))
    if not people:
        raise invalid("people", "报备中没有人员", "empty")
    missing = [p.name for p in people if p.person is None]
    if missing:
        raise invalid(
            "people", f"{'、'.join(missing)} 尚未登记到人员库，请先确认报备", "not_registered"
        )
    observations = []
    for entry in people:
        assert entry.person is not None
        try:
            observations.append(
                observation_start(
                    actor=actor,
                    person=entry.person,
                    area=notice.area,
                    mode=notice.mode,
                    arrived_on=arrived_on,
                    notice=notice,
                    address=notice.address,
                    unit=notice.unit,
                    days=notice.observation_days,
                )
            )
        except ValidationError as exc:
            field_name = "arrived_on" if "arrived_on" in exc.message_dict else "people"
            raise invalid(field_name, f"{entry.name}：{' '.join(exc.messages)}") from None
    notice.status = NoticeStatus.ARRIVED
    notice.save(update_fields=["status"])
    return observations


def _change_days(
    *, actor: Any, observation: Observation, delta: int, reason: str, action: str
) -> Observation:
    observation = _locked(observation)
    before = observation.days
    observation.days = before + delta
    observation.last_day = observation.last_day + dt.timedelta(days=delta)
    observation.save(update_fields=["days", "last_day"])
    _event(
        observation,
        action,
        actor=actor,
        from_status=observation.status,
        days_before=before,
        reason=reason,
    )
    return observation


@transaction.atomic
def observation_extend(
    *, actor: Any, observation: Observation, days: int, reason: str
) -> Observation:
    """Extend by `days` days (the last day and the release day move with it)."""
    observation = _locked(observation)
    _require_active(observation, "延长")
    days = _days(days, "延长")
    reason = _reason(reason, "延长")
    if observation.days + days > MAX_DAYS:
        raise invalid(
            "days",
            f"延长后共 {observation.days + days} 天，超过 {MAX_DAYS} 天上限",
            "out_of_range",
        )
    return _change_days(
        actor=actor, observation=observation, delta=days, reason=reason, action="extend"
    )


@transaction.atomic
def observation_shorten(
    *, actor: Any, observation: Observation, days: int, reason: str
) -> Observation:
    """Shorten by `days` days. The new last day may be yesterday at the earliest (release
    today), never earlier: what has been observed cannot be un-observed."""
    observation = _locked(observation)
    _require_active(observation, "缩短")
    days = _days(days, "缩短")
    reason = _reason(reason, "缩短")
    earliest = timezone.localdate() - dt.timedelta(days=1)
    most = min(observation.days - 1, (observation.last_day - earliest).days)
    if most < 1:
        raise invalid("days", "该观察已无法再缩短", "out_of_range")
    if days > most:
        new_last = observation.last_day - dt.timedelta(days=days)
        raise invalid(
            "days",
            f"缩短 {days} 天后最后一天为 {new_last}，早于昨天或不足 1 天；最多可缩短 {most} 天",
            "out_of_range",
        )
    return _change_days(
        actor=actor, observation=observation, delta=-days, reason=reason, action="shorten"
    )


def _finish(
    *, actor: Any, observation: Observation, to_status: str, on: dt.date, reason: str, action: str
) -> Observation:
    before = observation.status
    observation.status = to_status
    observation.ended_on = on
    observation.save(update_fields=["status", "ended_on"])
    _event(observation, action, actor=actor, from_status=before, reason=reason)
    return observation


@transaction.atomic
def observation_release(*, actor: Any, observation: Observation, on: dt.date) -> Observation:
    """Release on `on`, which must be on or after `release_on` (and not in the future)."""
    observation = _locked(observation)
    _require_transition(observation, ObservationStatus.RELEASED, "解除")
    _not_future(on, "on")
    if on < observation.release_on:
        raise invalid(
            "on",
            f"观察期到 {observation.last_day}（共 {observation.days} 天），"
            f"{observation.release_on} 起才能解除",
            "too_early",
        )
    return _finish(
        actor=actor,
        observation=observation,
        to_status=ObservationStatus.RELEASED,
        on=on,
        reason="观察期满",
        action="release",
    )


@transaction.atomic
def observation_to_hospital(
    *, actor: Any, observation: Observation, on: dt.date, reason: str
) -> Observation:
    """Sent to a fever clinic or hospital (the hospital's own system takes over)."""
    observation = _locked(observation)
    _require_transition(observation, ObservationStatus.HOSPITAL, "转送医院")
    reason = _reason(reason, "转送医院")
    _not_future(on, "on")
    if on < observation.arrived_on:
        raise invalid("on", f"日期早于到京日期 {observation.arrived_on}", "before_arrival")
    return _finish(
        actor=actor,
        observation=observation,
        to_status=ObservationStatus.HOSPITAL,
        on=on,
        reason=reason,
        action="hospital",
    )


@transaction.atomic
def observation_cancel(*, actor: Any, observation: Observation, reason: str) -> Observation:
    """Cancel an observation started by mistake (wrong person, did not arrive)."""
    observation = _locked(observation)
    _require_transition(observation, ObservationStatus.CANCELLED, "撤销")
    reason = _reason(reason, "撤销")
    return _finish(
        actor=actor,
        observation=observation,
        to_status=ObservationStatus.CANCELLED,
        on=timezone.localdate(),
        reason=reason,
        action="cancel",
    )


# --- health reports and alerts ----------------------------------------------------------------
SYMPTOM_CHOICES = "、".join(f"{k}（{v}）" for k, v in SYMPTOMS.items())


def clean_symptoms(values: Iterable[Any] | None) -> list[str]:
    codes: list[str] = []
    for value in values or []:
        code = str(value).strip()
        if code not in SYMPTOMS:
            raise invalid(
                "symptoms",
                f"未知的症状“{code}”，可选：{SYMPTOM_CHOICES}",
                "invalid",
            )
        if code not in codes:
            codes.append(code)
    return codes


@dataclass
class ReportResult:
    report: HealthReport
    created: bool  # False: this slot was reported before; nothing was changed
    alert: Alert | None


def _check_report_date(observation: Observation, on: dt.date, slot: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if on > today:
        errors["on"] = f"{on} 是将来的日期，不能提前填报"
    elif not observation.arrived_on <= on <= observation.last_day:
        errors["on"] = f"{on} 不在观察期内（{observation.arrived_on} 至 {observation.last_day}）"
    if slot not in Slot.values:
        errors["slot"] = "时段应为 morning（上午）或 evening（下午）"
    elif on == today and slot == Slot.EVENING and current_slot() == Slot.MORNING:
        errors["slot"] = "下午的体温请在中午 12 点以后填报"
    return errors


@transaction.atomic
def report_submit(
    *,
    observation: Observation,
    on: dt.date,
    slot: str,
    temperature: Any,
    symptoms: Iterable[Any] | None,
    by_self: bool,
    actor: Any = None,
) -> ReportResult:
    """One temperature (and symptoms) for one half day, by the person or by a worker after
    a call. Fever at or above the policy's threshold, or any listed symptom, raises an
    alert for the observation's area at once."""
    observation = _locked(observation)
    errors: dict[str, str] = {}
    if observation.status != ACTIVE:
        errors["observation"] = f"该观察已{observation.get_status_display()}，不再接收健康报告"
    else:
        errors.update(_check_report_date(observation, on, slot))
    try:
        value = parse_temperature(temperature)
    except ValidationError as exc:
        errors["temperature"] = " ".join(exc.messages)
    try:
        codes = clean_symptoms(symptoms)
    except ValidationError as exc:
        errors["symptoms"] = " ".join(exc.messages)
    if errors:
        raise ValidationError({k: ValidationError(v, code="invalid") for k, v in errors.items()})

    existing = _existing_report(observation, on, slot)
    if existing is not None:
        return existing
    user, _ = _who(actor)
    report = HealthReport(
        observation=observation,
        on=on,
        slot=slot,
        temperature=value,
        symptoms=codes,
        by_self=by_self,
        recorded_by=user,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # The same slot, submitted twice at once: the other one got there first.
        existing = _existing_report(observation, on, slot)
        if existing is None:
            raise
        return existing
    return ReportResult(report=report, created=True, alert=_raise_alert(observation, report))


def _existing_report(observation: Observation, on: dt.date, slot: str) -> ReportResult | None:
    report = HealthReport.objects.filter(observation=observation, on=on, slot=slot).first()
    if report is None:
        return None
    alert = Alert.objects.filter(report=report).first()
    return ReportResult(report=report, created=False, alert=alert)


def is_fever(observation: Observation, temperature: Decimal) -> bool:
    return temperature >= observation.policy.fever_threshold


def _raise_alert(observation: Observation, report: HealthReport) -> Alert | None:
    fever = is_fever(observation, report.temperature)
    if not fever and not report.symptoms:
        return None
    return Alert.objects.create(
        area_id=observation.area_id,
        observation=observation,
        person_id=observation.person_id,
        report=report,
        kind=AlertKind.FEVER if fever else AlertKind.SYMPTOM,
        temperature=report.temperature,
        detail="、".join(SYMPTOMS[c] for c in report.symptoms)[:200],
    )


def alert_raise_at_gate(
    *,
    area_id: int,
    person_id: int,
    observation_id: int | None,
    temperature: Decimal,
    detail: str,
) -> Alert:
    """A fever measured at a gate: an alert for the medical staff of the gate's area, at
    once. Called by the gate check inside its own transaction, with ids it already holds
    (the hot path loads no model instances)."""
    return Alert.objects.create(
        area_id=area_id,
        person_id=person_id,
        observation_id=observation_id,
        kind=AlertKind.FEVER,
        temperature=temperature,
        detail=detail,
    )


@transaction.atomic
def alert_handle(*, actor: Any, alert: Alert, handling: str) -> Alert:
    """Medical staff record what they did (visited, sent to a fever clinic, false alarm)."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.handled_at is not None:
        raise invalid(
            "alert",
            f"该预警已于 {timezone.localtime(alert.handled_at):%Y-%m-%d %H:%M} 处置："
            f"{alert.handling}",
            "already_handled",
        )
    text = (handling or "").strip()
    if not text:
        raise invalid("handling", "请填写处置情况", "required")
    if len(text) > 200:
        raise invalid("handling", "处置情况不能超过 200 字", "too_long")
    alert.handling = text
    alert.handled_by, _ = _who(actor)
    alert.handled_at = timezone.now()
    alert.save(update_fields=["handling", "handled_by", "handled_at"])
    return alert


@transaction.atomic
def call_task_done(*, actor: Any, task: CallTask, note: str) -> CallTask:
    """The worker called and writes down what they learnt."""
    task = CallTask.objects.select_for_update().get(pk=task.pk)
    if task.status == CallTaskStatus.DONE:
        raise invalid("task", "该电话任务已完成", "already_done")
    text = (note or "").strip()
    if not text:
        raise invalid("note", "请填写电话询问的情况", "required")
    if len(text) > 200:
        raise invalid("note", "情况不能超过 200 字", "too_long")
    task.status = CallTaskStatus.DONE
    task.note = text
    task.done_by, _ = _who(actor)
    task.done_at = timezone.now()
    task.save(update_fields=["status", "note", "done_by", "done_at"])
    return task


# --- self-report links -------------------------------------------------------------------------
SELF_REPORT_SALT = "fangkong.self-report"


class SelfReportLinkError(Exception):
    """A self-report link that cannot be used: forged (400), expired or finished (403)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.status_code = 400 if code == "forged" else 403


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SELF_REPORT_SALT)


def self_report_token(*, observation: Observation) -> str:
    """The personal link's token: the observation id, signed with a timestamp."""
    return _signer().sign(str(observation.pk))


def self_report_deadline(observation: Observation) -> dt.datetime:
    """A link works until the end of the release day (00:00 of release_on + 1 day)."""
    end = observation.release_on + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(end, dt.time.min))


def self_report_observation(*, token: str) -> Observation:
    """The observation a link belongs to, or SelfReportLinkError. The token's age is
    checked against the observation's own dates (max_age = deadline − signing time), so
    an extension keeps the same link working and a shortening ends it sooner."""
    signer = _signer()
    try:
        observation_id = int(signer.unsign(token))
    except (signing.BadSignature, ValueError):
        raise SelfReportLinkError(
            "forged", "这个填报链接无效，请使用社区发给您的完整链接或二维码。"
        ) from None
    observation = (
        Observation.objects.select_related("person", "policy", "area")
        .filter(pk=observation_id)
        .first()
    )
    if observation is None:
        raise SelfReportLinkError("forged", "这个填报链接无效，请联系社区。")
    signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[-2])
    max_age = self_report_deadline(observation).timestamp() - signed_at
    try:
        signer.unsign(token, max_age=dt.timedelta(seconds=max(max_age, 0)))
    except signing.SignatureExpired:
        raise SelfReportLinkError(
            "expired", "这个填报链接已过期：观察期已结束。如有疑问请联系社区。"
        ) from None
    if observation.status != ACTIVE:
        raise SelfReportLinkError(
            "finished",
            f"您的观察已{observation.get_status_display()}，不需要再填报体温。谢谢配合！",
        )
    return observation


@dataclass
class SelfReportStatus:
    masked_name: str
    day: int
    days: int
    on: dt.date
    slot: str
    slot_label: str
    reported: dict[str, Decimal | None] = field(default_factory=dict)  # slot → temperature
    in_window: bool = True


def self_report_status(*, observation: Observation) -> SelfReportStatus:
    today = timezone.localdate()
    slot = current_slot()
    reported: dict[str, Decimal | None] = {s: None for s in Slot.values}
    for report in HealthReport.objects.filter(observation=observation, on=today):
        reported[report.slot] = report.temperature
    return SelfReportStatus(
        masked_name=observation.person.masked_name,
        day=observation.day_number(today),
        days=observation.days,
        on=today,
        slot=slot,
        slot_label=str(Slot(slot).label),
        reported=reported,
        in_window=observation.arrived_on <= today <= observation.last_day,
    )


def self_report_submit(
    *, token: str, temperature: Any, symptoms: Iterable[Any] | None
) -> ReportResult:
    """A report from the personal link: today, the current half day."""
    observation = self_report_observation(token=token)
    return report_submit(
        observation=observation,
        on=timezone.localdate(),
        slot=current_slot(),
        temperature=temperature,
        symptoms=symptoms,
        by_self=True,
    )


# --- the daily steps (fangkong.core.modules: arrivals' module declares them) --------------
def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _col(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _now() -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())


def daily_release(*, on: dt.date, dry_run: bool = False) -> int:
    """Release every active observation whose last day is before `on` (release_on ≤ on):
    one UPDATE, and one INSERT … SELECT of their events. `ended_on` is the release day
    itself (last_day + 1), also when the job runs late."""
    obs, events = _table(Observation), _table(ObservationEvent)
    status, last_day = _col("status"), _col("last_day")
    where = f"{status} = %s AND {last_day} < %s"
    params = [str(ACTIVE), _date(on)]
    with connection.cursor() as cursor:
        if dry_run:
            cursor.execute(f"SELECT count(*) FROM {obs} WHERE {where}", params)  # noqa: S608
            return int(cursor.fetchone()[0])
        event_columns = (
            "observation_id, action, from_status, to_status, days_before, days_after, "
            "reason, actor_id, actor_name, at"
        )
        event_values = "%s, %s, %s, days, days, %s, NULL, %s, %s"
        event_params = [
            "release",
            str(ACTIVE),
            str(ObservationStatus.RELEASED),
            "观察期满，自动解除",
            SYSTEM_NAME,
            _now(),
        ]
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""WITH released AS (
                        UPDATE {obs} SET {status} = %s, ended_on = {last_day} + 1
                        WHERE {where} RETURNING id, days)
                    INSERT INTO {events} ({event_columns})
                    SELECT id, {event_values} FROM released""",  # noqa: S608
                [str(ObservationStatus.RELEASED), *params, *event_params],
            )
            return int(cursor.rowcount)
        # SQLite has no writable CTE; it serialises writers, so the two statements see
        # the same rows inside this transaction.
        cursor.execute(
            f"INSERT INTO {events} ({event_columns}) "  # noqa: S608
            f"SELECT id, {event_values} FROM {obs} WHERE {where}",
            [*event_params, *params],
        )
        cursor.execute(
            f"UPDATE {obs} SET {status} = %s, ended_on = date({last_day}, '+1 day') "  # noqa: S608
            f"WHERE {where}",
            [str(ObservationStatus.RELEASED), *params],
        )
        return int(cursor.rowcount)


def daily_raise_call_tasks(*, on: dt.date, dry_run: bool = False) -> int:
    """A call task for every slot of the day before `on` that an active observation owed
    and nobody reported: one INSERT … SELECT. Slots that already have a task are skipped
    by ON CONFLICT on the (observation, on, slot) unique index — not by a NOT EXISTS on
    the task table, which the planner may turn into a rescan of the very table being
    filled (quadratic on a large day). Runs before release, so a report missed on the
    very last day is still called about."""
    day = on - dt.timedelta(days=1)
    obs, reports, tasks = _table(Observation), _table(HealthReport), _table(CallTask)
    q_on, slot = _col("on"), _col("slot")
    select = f"""
        SELECT o.id AS observation_id, %s AS on_day, s.slot AS slot
        FROM {obs} o
        CROSS JOIN (SELECT %s AS slot UNION ALL SELECT %s) s
        WHERE o.{_col("status")} = %s
          AND o.arrived_on <= %s AND o.{_col("last_day")} >= %s
          AND NOT (o.arrived_on = %s AND s.slot = %s)
          AND NOT EXISTS (SELECT 1 FROM {reports} r WHERE r.observation_id = o.id
                          AND r.{q_on} = %s AND r.{slot} = s.slot)"""  # noqa: S608
    d = _date(day)
    morning, evening = str(Slot.MORNING), str(Slot.EVENING)
    params = [d, morning, evening, str(ACTIVE), d, d, d, morning, d]
    with connection.cursor() as cursor:
        if dry_run:
            cursor.execute(
                f"""SELECT count(*) FROM ({select}) m
                    WHERE NOT EXISTS (SELECT 1 FROM {tasks} t
                        WHERE t.observation_id = m.observation_id AND t.{q_on} = %s
                          AND t.{slot} = m.slot)""",  # noqa: S608
                [*params, d],
            )
            return int(cursor.fetchone()[0])
        cursor.execute(
            f"""INSERT INTO {tasks} (observation_id, {q_on}, {slot}, {_col("status")}, note,
                                     created_at)
                SELECT m.observation_id, m.on_day, m.slot, %s, '', %s
                FROM ({select}) m
                WHERE 1 = 1
                ON CONFLICT DO NOTHING""",  # noqa: S608
            [str(CallTaskStatus.OPEN), _now(), *params],
        )
        return int(cursor.rowcount)
