"""The life cycle of an observation (居家 / 集中观察): the only code that starts, extends,
shortens, releases or ends one. Health reports, alerts and the daily release are
arrivals.health.

The state machine, enforced here (every transition writes an ObservationEvent with who
and when; a finished observation is never reopened — a later return is a new row):

    active ──release (on ≥ release_on)────────▶ released
      │  └──hospital (reason)──────────────────▶ hospital
      │  └──cancel (reason)────────────────────▶ cancelled
      └──extend / shorten (days, reason)──▶ active

Day counting (see arrivals.models): the arrival date is day 1, `last_day` = arrival +
days − 1, release on `release_on` = last_day + 1, by the daily step
(arrivals.health.services.daily_release) on release_on or by a worker on or after that
date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fangkong.areas.models import Area
from fangkong.arrivals.models import (
    Arrival,
    ArrivalNotice,
    Decision,
    NoticeStatus,
    Observation,
    ObservationEvent,
    ObservationMode,
    ObservationStatus,
)
from fangkong.arrivals.notices.rules import policy_decide
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import invalid
from fangkong.core.scoping import ensure_visible, is_visible
from fangkong.policy.selectors import policy_in_force
from fangkong.registry.models import Address, Person
from fangkong.registry.people.services import check_living_area, person_mark_back
from fangkong.units.models import Unit

MAX_DAYS = 60  # the policy's own upper bound for observation days
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
def recorded_actor(actor: Any) -> tuple[Any, str]:
    """The account to record for `actor` and its name (`fangkong daily`: none, SYSTEM_NAME)."""
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
    user, name = recorded_actor(actor)
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


def observation_locked(observation: Observation) -> Observation:
    """The row again, locked for this transaction (PostgreSQL; SQLite serialises writers),
    so two workers cannot both move the same observation."""
    return Observation.objects.select_for_update().select_related("policy").get(pk=observation.pk)


def _require_active(observation: Observation, doing: str) -> None:
    if observation.status != ACTIVE:
        raise invalid(
            "observation",
            _("该观察已%(status)s，不能%(doing)s")
            % {"status": observation.get_status_display(), "doing": doing},
            "not_active",
        )


def _require_transition(observation: Observation, to_status: str, doing: str) -> None:
    if to_status not in TRANSITIONS[observation.status]:
        _require_active(observation, doing)


def _reason(value: str | None, doing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise invalid("reason", _("请填写%(doing)s的原因") % {"doing": doing}, "required")
    if len(text) > 300:
        raise invalid("reason", _("原因不能超过 300 字"), "too_long")
    return text


def _days(value: Any, doing: str) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise invalid("days", _("%(doing)s天数应为整数") % {"doing": doing}, "invalid") from None
    if isinstance(value, float | Decimal) and days != value:
        raise invalid("days", _("%(doing)s天数应为整数") % {"doing": doing}, "invalid")
    if not 1 <= days <= MAX_DAYS:
        raise invalid(
            "days",
            _("%(doing)s天数应在 1 到 %(max_days)s 之间") % {"doing": doing, "max_days": MAX_DAYS},
            "out_of_range",
        )
    return days


def _not_future(on: dt.date, field_name: str) -> None:
    if on > timezone.localdate():
        raise invalid(field_name, _("%(on)s 是将来的日期") % {"on": on}, "future")


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
            "person",
            _("该人员记录已合并到 #%(merged_into_id)s，请对合并后的记录操作")
            % {"merged_into_id": person.merged_into_id},
        )
    check_living_area(area)
    if mode not in ObservationMode.values:
        raise invalid(
            "mode",
            _("观察方式应为：%(choices)s")
            % {"choices": "、".join(str(label) for label in ObservationMode.labels)},
            "invalid",
        )
    _not_future(arrived_on, "arrived_on")
    try:
        policy = policy_in_force(on=arrived_on)
    except ValidationError as exc:
        raise invalid("arrived_on", " ".join(exc.messages), "no_policy") from None
    days = _days(policy.observation_days if days is None else days, pgettext("observation", "观察"))
    last_day = arrived_on + dt.timedelta(days=days - 1)
    if last_day < timezone.localdate():
        raise invalid(
            "arrived_on",
            _("按到京日期 %(arrived_on)s 计算，%(days)s 天观察期已于 %(last_day)s 结束")
            % {"arrived_on": arrived_on, "days": days, "last_day": last_day},
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
    person_mark_back(person=person, only_if_not_back=True)
    return observation


def _already_observed(current: Observation) -> ValidationError:
    return invalid(
        "person",
        _("该人员正在观察中（%(arrived_on)s 起，至 %(last_day)s），不能重复开始")
        % {"arrived_on": current.arrived_on, "last_day": current.last_day},
        "already_observed",
    )


@transaction.atomic
def notice_arrive(
    *,
    actor: Any,
    notice: ArrivalNotice,
    arrived_on: dt.date,
    people: Iterable[int] | None = None,
    no_show: Iterable[int] = (),
) -> list[Observation]:
    """Who of a notice's group arrived on `arrived_on` (`people`: NoticePerson ids; default
    everyone still expected) and who is not coming (`no_show`). Each arrival starts an
    observation linked to the notice, under the policy in force on the arrival day and its
    rule for the notice's origin. The notice is ARRIVED once nobody is still expected (or
    NO_SHOW if nobody came). A notice must be READY (inspection passed); an unannounced
    arrival may also still be under inspection."""
    notice = ArrivalNotice.objects.select_for_update().get(pk=notice.pk)
    ensure_visible(notice, actor)
    allowed = {NoticeStatus.READY}
    if notice.unannounced:
        allowed.add(NoticeStatus.INSPECTION)
    if notice.status in (NoticeStatus.ARRIVED, NoticeStatus.NO_SHOW):
        raise invalid("notice", _("该报备已登记到京"), "already_arrived")
    if notice.status not in allowed:
        raise invalid(
            "notice",
            _("报备状态为“%(status)s”，核查通过（可以返京）后才能登记到京")
            % {"status": notice.get_status_display()},
            "not_ready",
        )
    if arrived_on > timezone.localdate():
        raise invalid(
            "arrived_on",
            _("%(arrived_on)s 还没有到，不能登记到京") % {"arrived_on": arrived_on},
            "future",
        )
    expected = {
        row.pk: row
        for row in notice.people.select_related("person").filter(arrival=Arrival.EXPECTED)
    }
    if not expected:
        raise invalid("people", _("报备中没有待到京的人员"), "empty")
    coming = list(expected) if people is None else [int(pk) for pk in people]
    staying = [int(pk) for pk in no_show]
    for field, ids in (("people", coming), ("no_show", staying)):
        unknown = [pk for pk in ids if pk not in expected]
        if unknown:
            raise invalid(
                field,
                _("人员 %(person)s 不在这份报备的待到京名单中") % {"person": unknown[0]},
                "unknown",
            )
    if set(coming) & set(staying):
        raise invalid("no_show", _("同一人不能既已到京又不来了"), "conflict")
    if not coming and not staying:
        raise invalid("people", _("请选择已到京或不来了的人员"), "required")
    elsewhere = [
        row.name
        for row in (expected[pk] for pk in coming)
        if row.person is not None and not is_visible(row.person, actor)
    ]
    if elsewhere:
        raise invalid(
            "people",
            _("%(choices)s 登记在其他社区，请先在“人员转交”申请转入，该社区同意后再登记到京")
            % {"choices": "、".join(elsewhere)},
            "other_jurisdiction",
        )
    missing = [expected[pk].name for pk in coming if expected[pk].person is None]
    if missing:
        raise invalid(
            "people",
            _("%(choices)s 尚未登记到人员库，请先确认报备") % {"choices": "、".join(missing)},
            "not_registered",
        )
    days = notice.observation_days
    if coming:
        decision = policy_decide(origin_code=notice.origin_code, on=arrived_on, field="arrived_on")
        if decision.decision == Decision.MUST_NOT_RETURN:
            raise invalid(
                "arrived_on",
                _(
                    "按 %(arrived_on)s 生效的“%(policy)s”，"
                    "来自%(origin)s的人员须暂缓返京，不能登记到京"
                )
                % {
                    "arrived_on": arrived_on,
                    "policy": decision.policy.label,
                    "origin": notice.origin_name,
                },
                "must_not_return",
            )
        days = decision.days
    observations = []
    for pk in coming:
        entry = expected[pk]
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
                    days=days,
                )
            )
        except ValidationError as exc:
            field_name = "arrived_on" if "arrived_on" in exc.message_dict else "people"
            raise invalid(field_name, f"{entry.name}：{' '.join(exc.messages)}") from None
        entry.arrival, entry.arrived_on = Arrival.ARRIVED, arrived_on
        entry.save(update_fields=["arrival", "arrived_on"])
    for pk in staying:
        expected[pk].arrival = Arrival.NO_SHOW
        expected[pk].save(update_fields=["arrival"])
    if not notice.people.filter(arrival=Arrival.EXPECTED).exists():
        came = notice.people.filter(arrival=Arrival.ARRIVED).exists()
        notice.status = NoticeStatus.ARRIVED if came else NoticeStatus.NO_SHOW
        notice.save(update_fields=["status"])
    names = "、".join(expected[pk].name for pk in coming)
    detail = f"登记到京（{arrived_on}）：{names or '无'}"
    if staying:
        detail += f"；不来了：{'、'.join(expected[pk].name for pk in staying)}"
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=notice, detail=detail)
    return observations


def _change_days(
    *, actor: Any, observation: Observation, delta: int, reason: str, action: str
) -> Observation:
    observation = observation_locked(observation)
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
    observation = observation_locked(observation)
    _require_active(observation, pgettext("observation", "延长"))
    days = _days(days, pgettext("observation", "延长"))
    reason = _reason(reason, pgettext("observation", "延长"))
    if observation.days + days > MAX_DAYS:
        raise invalid(
            "days",
            _("延长后共 %(total)s 天，超过 %(max_days)s 天上限")
            % {"total": observation.days + days, "max_days": MAX_DAYS},
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
    observation = observation_locked(observation)
    _require_active(observation, pgettext("observation", "缩短"))
    days = _days(days, pgettext("observation", "缩短"))
    reason = _reason(reason, pgettext("observation", "缩短"))
    earliest = timezone.localdate() - dt.timedelta(days=1)
    most = min(observation.days - 1, (observation.last_day - earliest).days)
    if most < 1:
        raise invalid("days", _("该观察已无法再缩短"), "out_of_range")
    if days > most:
        new_last = observation.last_day - dt.timedelta(days=days)
        raise invalid(
            "days",
            _(
                "缩短 %(days)s 天后最后一天为 %(new_last)s，早于昨天或不足 1 天；"
                "最多可缩短 %(most)s 天"
            )
            % {"days": days, "new_last": new_last, "most": most},
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
    observation = observation_locked(observation)
    _require_transition(observation, ObservationStatus.RELEASED, pgettext("observation", "解除"))
    _not_future(on, "on")
    if on < observation.release_on:
        raise invalid(
            "on",
            _("观察期到 %(last_day)s（共 %(days)s 天），%(release_on)s 起才能解除")
            % {
                "last_day": observation.last_day,
                "days": observation.days,
                "release_on": observation.release_on,
            },
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
    observation = observation_locked(observation)
    _require_transition(
        observation, ObservationStatus.HOSPITAL, pgettext("observation", "转送医院")
    )
    reason = _reason(reason, pgettext("observation", "转送医院"))
    _not_future(on, "on")
    if on < observation.arrived_on:
        raise invalid(
            "on",
            _("日期早于到京日期 %(arrived_on)s") % {"arrived_on": observation.arrived_on},
            "before_arrival",
        )
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
    observation = observation_locked(observation)
    _require_transition(observation, ObservationStatus.CANCELLED, pgettext("observation", "撤销"))
    reason = _reason(reason, pgettext("observation", "撤销"))
    return _finish(
        actor=actor,
        observation=observation,
        to_status=ObservationStatus.CANCELLED,
        on=timezone.localdate(),
        reason=reason,
        action="cancel",
    )
