"""The only writers of places, plans and records. Each checks that the place is in the
actor's jurisdiction; a record notes its area for today's figures (core.figures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.scoping import ensure_visible
from fangkong.registry.models import Person
from fangkong.rounds.models import Agent, Place, PlaceKind, Plan, Record, RoundKind
from fangkong.units.models import Unit


def _choice(field: str, value: str, choices: Any) -> str:
    if value not in choices.values:
        raise invalid(field, _("未知选项“%(value)s”") % {"value": value}, "invalid_choice")
    return value


def _text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


@transaction.atomic
def place_create(
    *,
    actor: Any,
    area: Area,
    kind: str,
    name: str,
    building: str = "",
    unit: Unit | None = None,
) -> Place:
    """A place of a community, village or zone (or of a unit's premises there)."""
    ensure_visible(area, actor, field="area")
    if area.kind not in LIVING_KINDS:
        raise invalid("area", _("点位应属于社区、村或片区"), "not_living_area")
    _choice("kind", kind, PlaceKind)
    name = _text(name, 60)
    if not name:
        raise invalid("name", _("请填写点位名称，如：1单元电梯"), "required")
    if unit is not None:
        ensure_visible(unit, actor, field="unit")
    try:
        with transaction.atomic():
            place = Place.objects.create(
                area=area,
                unit=unit,
                kind=kind,
                building=_text(building, 40),
                name=name,
                created_by=actor,
            )
    except IntegrityError:
        existing = Place.objects.filter(area=area, building=_text(building, 40), name=name).first()
        raise Conflict(
            "name",
            _("本区域已有同名点位“%(place)s”") % {"place": existing or name},
            code="duplicate",
            id=existing.pk if existing else None,
        ) from None
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=place, area=area, detail="新增巡查消杀点位"
    )
    return place


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    place: Place,
    kind: str,
    every_hours: int | None = None,
    times_a_day: int | None = None,
    agent: str = "",
    concentration: str = "",
    active_from: dt.date | None = None,
    active_until: dt.date | None = None,
) -> Plan:
    """A plan for a place: patrol or disinfection, every N hours or N times a day. One plan
    of a kind per place at a time (409 naming the one in force)."""
    ensure_visible(place, actor, field="place")
    _choice("kind", kind, RoundKind)
    if (every_hours is None) == (times_a_day is None):
        raise invalid("every_hours", _("请填写“每隔几小时”或“每天几次”，二者选一"), "one_frequency")
    if every_hours is not None and not 1 <= every_hours <= 168:
        raise invalid("every_hours", _("每隔几小时应在 1 到 168 之间"), "out_of_range")
    if times_a_day is not None and not 1 <= times_a_day <= 24:
        raise invalid("times_a_day", _("每天几次应在 1 到 24 之间"), "out_of_range")
    agent = agent or ""
    if agent:
        _choice("agent", agent, Agent)
    if kind == RoundKind.DISINFECTION and not agent:
        raise invalid("agent", _("消杀作业请选择消毒剂"), "required")
    if kind == RoundKind.PATROL:
        agent, concentration = "", ""
    active_from = active_from or timezone.localdate()
    if active_until is not None and active_until < active_from:
        raise invalid("active_until", _("结束日期不能早于开始日期"), "before_start")
    Place.objects.select_for_update().filter(pk=place.pk).first()  # one writer per place
    overlapping = Plan.objects.filter(place=place, kind=kind).filter(
        Q(active_until__isnull=True) | Q(active_until__gte=active_from)
    )
    if active_until is not None:
        overlapping = overlapping.filter(active_from__lte=active_until)
    existing = overlapping.first()
    if existing is not None:
        raise Conflict(
            "kind",
            _("“%(place)s”已有%(kind)s计划，请先结束它")
            % {"place": place, "kind": existing.get_kind_display()},
            code="overlap",
            id=existing.pk,
        )
    plan = Plan.objects.create(
        place=place,
        kind=kind,
        every_hours=every_hours,
        times_a_day=times_a_day,
        agent=agent,
        concentration=_text(concentration, 40),
        active_from=active_from,
        active_until=active_until,
        created_by=actor,
    )
    figures_touched.send(sender=Plan, areas=[place.area_id], on=timezone.localdate())
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=plan,
        area=place.area,
        detail=f"新增{plan.get_kind_display()}计划",
    )
    return plan


@transaction.atomic
def plan_end(*, actor: Any, plan: Plan, on: dt.date | None = None) -> Plan:
    """The plan stops after `on` (today by default): no more rounds are due."""
    ensure_visible(plan, actor)
    on = on or timezone.localdate()
    plan = Plan.objects.select_for_update().select_related("place").get(pk=plan.pk)
    if plan.active_until is not None and plan.active_until <= on:
        raise Conflict("active_until", _("这项计划已经结束"), code="ended")
    plan.active_until = max(on, plan.active_from)
    plan.save(update_fields=["active_until"])
    figures_touched.send(sender=Plan, areas=[plan.place.area_id], on=timezone.localdate())
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=plan,
        area=plan.place.area,
        detail=f"结束{plan.get_kind_display()}计划",
    )
    return plan


@transaction.atomic
def record_round(
    *,
    actor: Any,
    plan: Plan,
    done_at: dt.datetime | None = None,
    person: Person | None = None,
    what: str = "",
    agent: str = "",
    concentration: str = "",
    note: str = "",
) -> Record:
    """A round done (one tap: now, by the actor, with the plan's agent). `person` is who
    did it when they have no account (a volunteer the actor records for)."""
    ensure_visible(plan, actor, field="plan")
    now = timezone.now()
    done_at = done_at or now
    if done_at > now + dt.timedelta(minutes=5):
        raise invalid("done_at", _("完成时间不能晚于现在"), "future")
    day = timezone.localtime(done_at).date()
    if not plan.active_on(day):
        raise invalid("plan", _("这项计划在 %(day)s 不执行") % {"day": day.isoformat()}, "inactive")
    if person is not None:
        ensure_visible(person, actor, field="person")
    agent = agent or ""
    if agent:
        _choice("agent", agent, Agent)
    if plan.kind == RoundKind.DISINFECTION:
        agent = agent or plan.agent
        concentration = concentration or plan.concentration
    else:
        agent, concentration = "", ""
    record = Record.objects.create(
        plan=plan,
        done_at=done_at,
        done_by=None if person is not None else actor,
        person=person,
        what=_text(what, 200),
        agent=agent,
        concentration=_text(concentration, 40),
        note=_text(note, 200),
        recorded_by=actor,
    )
    figures_touched.send(sender=Record, areas=[plan.place.area_id], on=day)
    return record
