"""Read queries for passes, gates and the check log; every one is cut to the caller's area.

The log grows by millions of rows a day at district scale, so every view of it is bounded
by a day (or a person) and served by the (gate, at), (area, at) and (person, at) indexes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone

from fangkong.access.checks import NIGHT_END, NIGHT_START
from fangkong.access.models import (
    HELD_STATUSES,
    CheckDecision,
    Gate,
    GateCheck,
    GateReferral,
    Pass,
    PassStatus,
    Reason,
    ReferralStatus,
    Visit,
)
from fangkong.arrivals.figures import observing_on
from fangkong.arrivals.models import Observation
from fangkong.core.crypto import decrypt
from fangkong.core.dates import day_bounds, parse_day
from fangkong.core.ids import parse_id
from fangkong.registry.models import Person


def holder_observed(today: dt.date) -> Exists:
    """Whether a pass's holder is under observation today (the gate refuses exit then, and
    the figures count the pass as suspended)."""
    return Exists(Observation.objects.filter(observing_on(today), person=OuterRef("person_id")))


def effective_status(gate_pass: Pass, today: dt.date) -> str:
    """The status a gate would apply today: a held pass past its end date is expired; a
    held pass whose holder is under observation is suspended until the release."""
    if gate_pass.status not in HELD_STATUSES:
        return gate_pass.status
    if gate_pass.valid_until is not None and gate_pass.valid_until < today:
        return PassStatus.EXPIRED
    observed = getattr(gate_pass, "observed", None)
    if observed is None:
        observed = Pass.objects.filter(pk=gate_pass.pk).filter(holder_observed(today)).exists()
    return PassStatus.SUSPENDED if observed else gate_pass.status


def passes_list(*, user: Any, status: str = "", q: str = "", area: str = "") -> QuerySet[Pass]:
    qs = (
        Pass.objects.visible_to(user)
        .select_related("person", "area")
        .annotate(observed=holder_observed(timezone.localdate()))
    )
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(area__code=area)
    q = q.strip().replace(" ", "")
    if q:
        qs = qs.filter(Q(number=q) | Q(person__name__startswith=q))
    return qs


def gates_list(*, user: Any) -> QuerySet[Gate]:
    return Gate.objects.visible_to(user).select_related("area").prefetch_related("opens")


def checks_filtered(*, user: Any, params: Mapping[str, Any]) -> QuerySet[GateCheck]:
    """The log, one day at a time (?date=), optionally one gate, denials, a reason, night."""
    start, end = day_bounds(parse_day(params.get("date")))
    qs = (
        GateCheck.objects.visible_to(user)
        .filter(at__gte=start, at__lt=end)
        .select_related("gate", "area", "person", "gate_pass")
    )
    gate = parse_id(params.get("gate"))
    if gate is not None:
        qs = qs.filter(gate_id=gate)
    if params.get("decision") in CheckDecision.values:
        qs = qs.filter(decision=params["decision"])
    reason = params.get("reason")
    if reason in Reason.values:
        qs = qs.filter(reasons__contains=reason)
    if params.get("night"):
        qs = qs.filter(night_q())
    return qs


def night_q() -> Q:
    """22:00–06:00: the hour of the check in local time (the current time zone,
    Asia/Shanghai) is ≥ 22 or < 6."""
    return Q(at__hour__gte=NIGHT_START) | Q(at__hour__lt=NIGHT_END)


@dataclass
class GateDay:
    gate: Gate
    day: dt.date
    hours: list[dict[str, int]] = field(default_factory=list)  # 24 rows
    total: int = 0
    denied: int = 0
    night: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)


def gate_hourly(*, gate: Gate, day: dt.date) -> GateDay:
    """Checks per hour at one gate on one day: in, out, denied."""
    start, end = day_bounds(day)
    rows = (
        GateCheck.objects.filter(gate=gate, at__gte=start, at__lt=end)
        .annotate(hour=ExtractHour("at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("hour")
        .annotate(
            total=Count("id"),
            entered=Count("id", filter=Q(direction="in")),
            left=Count("id", filter=Q(direction="out")),
            denied=Count("id", filter=Q(decision=CheckDecision.DENY)),
        )
        .order_by("hour")
    )
    by_hour = {r["hour"]: r for r in rows}
    out = GateDay(gate=gate, day=day)
    for hour in range(24):
        r = by_hour.get(hour, {"total": 0, "entered": 0, "left": 0, "denied": 0})
        out.hours.append(
            {
                "hour": hour,
                "total": r["total"],
                "entered": r["entered"],
                "left": r["left"],
                "denied": r["denied"],
            }
        )
        out.total += r["total"]
        out.denied += r["denied"]
        if hour >= NIGHT_START or hour < NIGHT_END:
            out.night += r["total"]
    out.by_reason = denials_by_reason(
        qs=GateCheck.objects.filter(gate=gate, at__gte=start, at__lt=end)
    )
    return out


def denials_by_reason(*, qs: QuerySet[GateCheck]) -> dict[str, int]:
    """Denials per reason code (one check may carry several), in one query."""
    denied = qs.filter(decision=CheckDecision.DENY)
    counts = denied.aggregate(
        **{code: Count("id", filter=Q(reasons__contains=code)) for code in Reason.values}
    )
    return {code: n for code, n in counts.items() if n}


@dataclass
class AreaDay:
    day: dt.date
    gates: list[dict[str, Any]]
    total: int
    denied: int
    night: int
    by_reason: dict[str, int]


def checks_day(*, user: Any, day: dt.date) -> AreaDay:
    """Every visible gate's counts for a day, and the denials by reason across them."""
    start, end = day_bounds(day)
    qs = GateCheck.objects.visible_to(user).filter(at__gte=start, at__lt=end)
    per_gate = {
        r["gate_id"]: r
        for r in qs.values("gate_id").annotate(
            total=Count("id"),
            denied=Count("id", filter=Q(decision=CheckDecision.DENY)),
            night=Count("id", filter=night_q()),
        )
    }
    gates = []
    for gate in gates_list(user=user):
        r = per_gate.get(gate.pk, {"total": 0, "denied": 0, "night": 0})
        gates.append({"gate": gate, **{k: r[k] for k in ("total", "denied", "night")}})
    return AreaDay(
        day=day,
        gates=gates,
        total=sum(g["total"] for g in gates),
        denied=sum(g["denied"] for g in gates),
        night=sum(g["night"] for g in gates),
        by_reason=denials_by_reason(qs=qs),
    )


def movements(*, person: Person, limit: int = 500) -> QuerySet[GateCheck]:
    """A person's checks, newest first (the caller audits the reading)."""
    return (
        GateCheck.objects.filter(person=person)
        .select_related("gate", "area", "gate_pass")
        .order_by("-at", "-id")[:limit]
    )


def referrals_list(*, user: Any, state: str = "open") -> QuerySet[GateReferral]:
    qs = GateReferral.objects.visible_to(user).select_related(
        "area", "gate", "person", "gate_check", "handled_by"
    )
    if state == "open":
        qs = qs.filter(status=ReferralStatus.OPEN)
    elif state == "done":
        qs = qs.filter(status=ReferralStatus.DONE)
    return qs.order_by("-created_at", "-id")


def visits_list(*, user: Any, day: dt.date) -> QuerySet[Visit]:
    start, end = day_bounds(day)
    return (
        Visit.objects.visible_to(user)
        .filter(at__gte=start, at__lt=end)
        .select_related("gate", "policy")
    )


def referral_for_arrival(*, user: Any, pk: int) -> GateReferral | None:
    """The referral an unannounced-arrival form is opened from, if `user` may see it."""
    return (
        GateReferral.objects.visible_to(user)
        .select_related("area", "gate", "person")
        .filter(pk=pk)
        .first()
    )


def referral_arrival_initial(*, referral: GateReferral) -> dict[str, Any]:
    """What a referral knows, as the initial values of the unannounced-arrival form: the
    area of the gate, the name (the registry's when the person is known, else as told),
    the guard's note — and, for a known person, their document and phone, decrypted: a
    read of the full record, which the caller audits."""
    gate = referral.gate.name
    note = f"在门岗“{gate}”因无出入证被拦下" + (f"：{referral.note}" if referral.note else "")
    initial: dict[str, Any] = {"area": referral.area.code, "name": referral.name, "note": note}
    person = referral.person
    if person is not None:
        initial.update(
            name=person.name,
            document_type=person.document_type,
            document_number=decrypt(person.document_cipher) if person.document_cipher else "",
            phone=decrypt(person.phone_cipher) if person.phone_cipher else "",
            residency=person.residency,
        )
    return initial
