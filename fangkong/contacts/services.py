"""The only code that reveals a number to call. Each kind of task names who is to be
phoned and who may phone them; the reveal is audited with the task as the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fangkong.access.models import GateReferral
from fangkong.access.module import AccessCapability
from fangkong.arrivals.models import Alert, ArrivalNotice, CallTask
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.audit.services import audit_view_record
from fangkong.core.crypto import decrypt
from fangkong.core.errors import invalid
from fangkong.core.identity import mask_phone
from fangkong.core.scoping import get_visible_or_404


@dataclass(frozen=True)
class Dial:
    name: str
    phone: str  # E.164, e.g. +8613800138000
    masked: str
    reason: str

    @property
    def tel(self) -> str:
        return f"tel:{self.phone}"


# (whom to call, their phone's cipher, the record the reveal reads, the reason)
Callee = tuple[str, Any, models.Model, str]


@dataclass(frozen=True)
class Subject:
    """A kind of task that needs a call: its model, the capability of whoever makes the
    call, and `callee(obj) -> (name, phone cipher, the record the reveal reads, reason)`."""

    model: type[models.Model]
    capability: str
    callee: Callable[[Any], Callee]


def _alert(alert: Alert) -> Callee:
    reason = f"发热预警 #{alert.pk}（{alert.temperature or ''}°C）：电话询问"
    return alert.person.name, alert.person.phone_cipher, alert.person, reason


def _call_task(task: CallTask) -> Callee:
    person = task.observation.person
    return person.name, person.phone_cipher, person, f"电话询问任务 #{task.pk}（{task.on} 漏报）"


def _notice(notice: ArrivalNotice) -> Callee:
    return (
        notice.filer_name,
        notice.filer_phone_cipher,
        notice,
        f"返京报备 #{notice.pk}：电话核实",
    )


def _referral(referral: GateReferral) -> Callee:
    person = referral.person
    if person is None:
        raise invalid("subject", _("门岗转交的人员未登记，没有可拨打的电话"), "no_phone")
    return person.name, person.phone_cipher, person, f"门岗转交 #{referral.pk}：电话联系"


SUBJECTS: dict[str, Subject] = {
    "alert": Subject(Alert, ArrivalsCapability.ALERTS_HANDLE, _alert),
    "call_task": Subject(CallTask, ArrivalsCapability.HEALTH_RECORD, _call_task),
    "notice": Subject(ArrivalNotice, ArrivalsCapability.CHANGE, _notice),
    "referral": Subject(GateReferral, AccessCapability.PASSES_ISSUE, _referral),
}


def subject_register(name: str, subject: Subject) -> None:
    """A kind of call from an app above contacts (care: the care call), registered in its
    AppConfig.ready(); contacts imports nothing of it."""
    SUBJECTS[name] = subject


def call_reveal(*, actor: Any, subject: str, pk: int, request: HttpRequest | None = None) -> Dial:
    """The number to call for task `subject` #`pk`, revealed to `actor` and audited (who,
    which task, when, from where). 404 for a task outside the actor's area; 403 for a role
    that does not make such calls."""
    kind = SUBJECTS.get(subject)
    if kind is None:
        raise invalid(
            "subject",
            _("不能为“%(subject)s”拨打电话，可选：%(choices)s")
            % {"subject": subject, "choices": "、".join(SUBJECTS)},
        )
    if not actor.can(kind.capability):
        raise PermissionDenied(_("您的角色不负责这类电话"))
    obj = get_visible_or_404(kind.model, actor, pk=pk)
    name, cipher, record, reason = kind.callee(obj)
    if not cipher:
        raise invalid("subject", _("%(name)s 没有登记电话") % {"name": name}, "no_phone")
    phone = decrypt(cipher)
    audit_view_record(actor=actor, obj=record, request=request, detail=f"拨打电话：{reason}")
    return Dial(name=name, phone=phone, masked=mask_phone(phone), reason=reason)
