"""A gate referral as the source of an unannounced arrival (arrivals.notices.sources): the
community worker opens /arrivals/unannounced/new/?referral=<id> from the referral list,
finds the form filled with what the referral knows, and registering the arrival marks the
referral handled. Registered by AccessConfig.ready(); arrivals, a layer below, imports
nothing of access."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fangkong.access.models import GateReferral
from fangkong.access.selectors import referral_arrival_initial, referral_for_arrival
from fangkong.access.services import referral_register_arrival
from fangkong.arrivals.models import ArrivalNotice
from fangkong.arrivals.notices.sources import ArrivalSource
from fangkong.registry.models import Person


def _load(user: Any, pk: int) -> GateReferral | None:
    return referral_for_arrival(user=user, pk=pk)


def _initial(referral: GateReferral) -> dict[str, Any]:
    return referral_arrival_initial(referral=referral)


def _shown_person(referral: GateReferral) -> Person | None:
    return referral.person


def _banner(referral: GateReferral) -> str:
    at = timezone.localtime(referral.created_at)
    known = f" · 已登记人员 {referral.person.name}" if referral.person is not None else ""
    return (
        f"来自门岗转交：{referral.gate.name} · {at:%m-%d %H:%M}{known}。"
        "登记后这条转交即记为已处理。"
    )


def _register(*, actor: Any, source: GateReferral, **registration: Any) -> ArrivalNotice:
    return referral_register_arrival(actor=actor, referral=source, **registration)


REFERRAL_SOURCE = ArrivalSource(
    param="referral",
    load=_load,
    initial=_initial,
    shown_person=_shown_person,
    audit_detail="门岗转交：登记返京",
    banner=_banner,
    register=_register,
)
