"""Health reports (twice a day), fever and symptom alerts, call tasks about missed
reports, the personal self-report link, and the daily steps (fangkong.core.modules: the
arrivals module declares them): the only code that changes them.

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
from django.utils.translation import gettext as _

from fangkong.arrivals.models import (
    FINAL_OUTCOMES,
    SYMPTOMS,
    Alert,
    AlertKind,
    CallOutcome,
    CallTask,
    CallTaskStatus,
    HealthReport,
    MissedSlots,
    Observation,
    ObservationEvent,
    ObservationStatus,
    Slot,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.observation.services import (
    ACTIVE,
    SYSTEM_NAME,
    observation_locked,
    recorded_actor,
)
from fangkong.core.errors import invalid
from fangkong.core.scoping import ensure_visible, is_visible
from fangkong.core.temperature import parse_temperature

NOON = dt.time(12, 0)


# --- slots ------------------------------------------------------------------------------------
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


# --- health reports and alerts ----------------------------------------------------------------
SYMPTOM_CHOICES = "、".join(f"{k}（{v}）" for k, v in SYMPTOMS.items())


def clean_symptoms(values: Iterable[Any] | None) -> list[str]:
    codes: list[str] = []
    for value in values or []:
        code = str(value).strip()
        if code not in SYMPTOMS:
            raise invalid(
                "symptoms",
                _("未知的症状“%(code)s”，可选：%(symptom_choices)s")
                % {"code": code, "symptom_choices": SYMPTOM_CHOICES},
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
        errors["on"] = _("%(on)s 是将来的日期，不能提前填报") % {"on": on}
    elif not observation.arrived_on <= on <= observation.last_day:
        errors["on"] = _("%(on)s 不在观察期内（%(first)s 至 %(last)s）") % {
            "on": on,
            "first": observation.arrived_on,
            "last": observation.last_day,
        }
    if slot not in Slot.values:
        errors["slot"] = _("时段应为 morning（上午）或 evening（下午）")
    elif on == today and slot == Slot.EVENING and current_slot() == Slot.MORNING:
        errors["slot"] = _("下午的体温请在中午 12 点以后填报")
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
    observation = observation_locked(observation)
    errors: dict[str, str] = {}
    if observation.status != ACTIVE:
        errors["observation"] = _("该观察已%(status)s，不再接收健康报告") % {
            "status": observation.get_status_display()
        }
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
    user, __ = recorded_actor(actor)
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
            _("该预警已于 %(time)s 处置：%(handling)s")
            % {
                "time": format(timezone.localtime(alert.handled_at), "%Y-%m-%d %H:%M"),
                "handling": alert.handling,
            },
            "already_handled",
        )
    text = (handling or "").strip()
    if not text:
        raise invalid("handling", _("请填写处置情况"), "required")
    if len(text) > 200:
        raise invalid("handling", _("处置情况不能超过 200 字"), "too_long")
    alert.handling = text
    alert.handled_by, __ = recorded_actor(actor)
    alert.handled_at = timezone.now()
    alert.save(update_fields=["handling", "handled_by", "handled_at"])
    return alert


@transaction.atomic
def call_task_done(*, actor: Any, task: CallTask, note: str) -> CallTask:
    """The worker called, reached the person and writes down what they learnt."""
    return call_task_attempt(actor=actor, task=task, outcome=CallOutcome.ANSWERED, note=note)


@transaction.atomic
def call_task_attempt(*, actor: Any, task: CallTask, outcome: str, note: str = "") -> CallTask:
    """One try at the call: reached (a note of what was learnt is required) or not. Not
    reached, the task stays open for another try; a wrong number closes it."""
    task = CallTask.objects.select_for_update().get(pk=task.pk)
    ensure_visible(task, actor)
    if task.status == CallTaskStatus.DONE:
        raise invalid("task", _("该电话任务已完成"), "already_done")
    if outcome not in CallOutcome.values:
        choices = "、".join(f"{value}（{label}）" for value, label in CallOutcome.choices)
        raise invalid(
            "outcome", _("结果应为：%(choices)s") % {"choices": choices}, "invalid_choice"
        )
    text = (note or "").strip()
    if outcome == CallOutcome.ANSWERED and not text:
        raise invalid("note", _("请填写电话询问的情况"), "required")
    if len(text) > 200:
        raise invalid("note", _("情况不能超过 200 字"), "too_long")
    now = timezone.now()
    task.attempts += 1
    task.last_attempt_at = now
    task.outcome = outcome
    if text:
        task.note = text
    if outcome in FINAL_OUTCOMES:
        task.status = CallTaskStatus.DONE
        task.done_by, __ = recorded_actor(actor)
        task.done_at = now
    task.save()
    return task


@transaction.atomic
def call_task_assign(*, actor: Any, task: CallTask, assignee: Any | None) -> CallTask:
    """Give the call to someone who may make it and works where the person is observed
    (None: back to everyone's list)."""
    task = CallTask.objects.select_for_update().select_related("observation").get(pk=task.pk)
    ensure_visible(task, actor)
    if task.status == CallTaskStatus.DONE:
        raise invalid("task", _("该电话任务已完成"), "already_done")
    if assignee is not None and not (
        assignee.is_active
        and assignee.can(ArrivalsCapability.HEALTH_RECORD)
        and is_visible(task, assignee)
    ):
        raise invalid(
            "assignee",
            _("“%(assignee)s”不能负责这个社区的电话询问") % {"assignee": assignee},
            "not_allowed",
        )
    task.assignee = assignee
    task.save(update_fields=["assignee"])
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
            "forged", _("这个填报链接无效，请使用社区发给您的完整链接或二维码。")
        ) from None
    observation = (
        Observation.objects.select_related("person", "policy", "area")
        .filter(pk=observation_id)
        .first()
    )
    if observation is None:
        raise SelfReportLinkError("forged", _("这个填报链接无效，请联系社区。"))
    signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[-2])
    max_age = self_report_deadline(observation).timestamp() - signed_at
    try:
        signer.unsign(token, max_age=dt.timedelta(seconds=max(max_age, 0)))
    except signing.SignatureExpired:
        raise SelfReportLinkError(
            "expired", _("这个填报链接已过期：观察期已结束。如有疑问请联系社区。")
        ) from None
    if observation.status != ACTIVE:
        raise SelfReportLinkError(
            "finished",
            _("您的观察已%(status)s，不需要再填报体温。谢谢配合！")
            % {"status": observation.get_status_display()},
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
    """One call task per active observation that missed a report on the day before `on`,
    naming the slots missed (上午, 下午 or 全天): one INSERT … SELECT … GROUP BY. A day that
    already has its task is skipped by ON CONFLICT on the (observation, on) unique index —
    not by a NOT EXISTS on the task table, which the planner may turn into a rescan of the
    very table being filled (quadratic on a large day). Runs before release, so a report
    missed on the very last day is still called about."""
    day = on - dt.timedelta(days=1)
    obs, reports, tasks = _table(Observation), _table(HealthReport), _table(CallTask)
    q_on, slot = _col("on"), _col("slot")
    select = f"""
        SELECT m.observation_id,
               CASE WHEN count(*) = 2 THEN %s ELSE min(m.slot) END AS missed
        FROM (SELECT o.id AS observation_id, s.slot AS slot
              FROM {obs} o
              CROSS JOIN (SELECT %s AS slot UNION ALL SELECT %s) s
              WHERE o.{_col("status")} = %s
                AND o.arrived_on <= %s AND o.{_col("last_day")} >= %s
                AND NOT (o.arrived_on = %s AND s.slot = %s)
                AND NOT EXISTS (SELECT 1 FROM {reports} r WHERE r.observation_id = o.id
                                AND r.{q_on} = %s AND r.{slot} = s.slot)) m
        GROUP BY m.observation_id"""  # noqa: S608
    d = _date(day)
    morning, evening = str(Slot.MORNING), str(Slot.EVENING)
    params = [str(MissedSlots.BOTH), morning, evening, str(ACTIVE), d, d, d, morning, d]
    with connection.cursor() as cursor:
        if dry_run:
            cursor.execute(
                f"""SELECT count(*) FROM ({select}) m
                    WHERE NOT EXISTS (SELECT 1 FROM {tasks} t
                        WHERE t.observation_id = m.observation_id AND t.{q_on} = %s)""",  # noqa: S608
                [*params, d],
            )
            return int(cursor.fetchone()[0])
        cursor.execute(
            f"""INSERT INTO {tasks} (observation_id, {q_on}, missed, {_col("status")}, note,
                                     created_at)
                SELECT m.observation_id, %s, m.missed, %s, '', %s
                FROM ({select}) m
                WHERE 1 = 1
                ON CONFLICT DO NOTHING""",  # noqa: S608
            [d, str(CallTaskStatus.OPEN), _now(), *params],
        )
        return int(cursor.rowcount)
