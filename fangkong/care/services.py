"""The only writers of care: care calls (关怀电话) and requests for help (求助), raised by
the resident on the self-report page or by a worker or cadre after a call, taken (by me,
a colleague or a volunteer), done or not possible (with why). Every write is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import LIVING_KINDS
from fangkong.arrivals.models import Observation, ObservationStatus
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.care.models import (
    OPEN,
    URGENT_KINDS,
    Announcement,
    CallOutcome,
    CareCall,
    CareRequest,
    RequestKind,
    RequestStatus,
)
from fangkong.care.module import CareCapability
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.scoping import ensure_visible, is_visible
from fangkong.policy.selectors import care_hours_on

MAX_TEXT = 200


def _text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise invalid(
            field, _("请填写%(field)s") % {"field": _FIELD_NAMES.get(field, field)}, "required"
        )
    if len(text) > limit:
        raise invalid(field, _("最多 %(limit)s 个字") % {"limit": limit}, "too_long")
    return text


_FIELD_NAMES = {
    "title": _("标题"),
    "body": _("内容"),
    "detail": _("说明"),
    "outcome": _("原因"),
    "volunteer": _("志愿者姓名"),
}


def _active(observation: Observation) -> None:
    if observation.status != ObservationStatus.ACTIVE:
        raise invalid(
            "observation",
            _("%(name)s 已不在观察中") % {"name": observation.person.masked_name},
            "not_active",
        )


def _kind(value: Any) -> str:
    if value not in RequestKind.values:
        raise invalid(
            "kind",
            _("求助类型应为：%(choices)s")
            % {"choices": "、".join(str(label) for label in RequestKind.labels)},
            "invalid",
        )
    return str(value)


def due_at(kind: str, raised_at: dt.datetime) -> dt.datetime:
    """The deadline of a request of `kind` raised at `raised_at`, by the policy in force on
    that day."""
    urgent, other = care_hours_on(timezone.localdate(raised_at))
    return raised_at + dt.timedelta(hours=urgent if kind in URGENT_KINDS else other)


def _audit(actor: Any, obj: Any, detail: str) -> None:
    area = obj.observation.area if isinstance(obj, CareCall) else obj.area
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=obj, area=area, detail=detail)
    _touched(area.pk)


def _touched(area_id: int) -> None:
    """Today's figures of the area are recounted when next read (reports)."""
    figures_touched.send(sender=CareRequest, areas=[area_id], on=timezone.localdate())


def _serve(actor: Any) -> None:
    if not actor.can(CareCapability.SERVE):
        raise PermissionDenied(_("您的角色不办理隔离家庭求助"))


def _create_request(
    *,
    observation: Observation,
    kind: str,
    detail: str,
    by_self: bool,
    raised_by: Any,
    call: CareCall | None = None,
) -> CareRequest:
    now = timezone.now()
    return CareRequest.objects.create(
        area=observation.area,
        observation=observation,
        kind=kind,
        detail=detail,
        by_self=by_self,
        raised_by=raised_by,
        call=call,
        raised_at=now,
        due_at=due_at(kind, now),
    )


@transaction.atomic
def call_record(
    *,
    actor: Any,
    observation: Observation,
    outcome: str,
    needs: str = "",
    note: str = "",
    request_kind: str = "",
    request_detail: str = "",
) -> CareCall:
    """A care call made to a person under observation; with `request_kind`, the request
    it brought raised in the same transaction."""
    _serve(actor)
    ensure_visible(observation, actor, field="observation")
    _active(observation)
    if outcome not in CallOutcome.values:
        raise invalid(
            "outcome",
            _("结果应为：%(choices)s")
            % {"choices": "、".join(str(label) for label in CallOutcome.labels)},
            "invalid",
        )
    needs, note = _text(needs, "needs"), _text(note, "note")
    kind = _kind(request_kind) if request_kind else ""
    detail = _text(request_detail, "request_detail", limit=300)
    if outcome == CallOutcome.NO_ANSWER and kind:
        raise invalid("request_kind", _("电话未接通，不能登记求助"), "no_answer")
    now = timezone.now()
    call = CareCall.objects.create(
        observation=observation,
        on=timezone.localdate(now),
        outcome=outcome,
        needs=needs,
        note=note,
        by=actor,
        at=now,
    )
    _audit(actor, call, f"关怀电话 {outcome}")
    if kind:
        request = _create_request(
            observation=observation,
            kind=kind,
            detail=detail or needs,
            by_self=False,
            raised_by=actor,
            call=call,
        )
        _audit(actor, request, f"登记求助 {kind}")
    return call


@transaction.atomic
def request_raise(
    *, actor: Any, observation: Observation, kind: str, detail: str = ""
) -> CareRequest:
    """A request raised by a worker or cadre for a household under observation."""
    _serve(actor)
    ensure_visible(observation, actor, field="observation")
    _active(observation)
    request = _create_request(
        observation=observation,
        kind=_kind(kind),
        detail=_text(detail, "detail", limit=300),
        by_self=False,
        raised_by=actor,
    )
    _audit(actor, request, f"登记求助 {kind}")
    return request


# A resident may have this many requests open at once from the phone page (a runaway
# page or a prank cannot flood the community's list).
SELF_OPEN_MAX = 5


@transaction.atomic
def request_raise_by_resident(
    *, observation: Observation, kind: str, detail: str = ""
) -> CareRequest:
    """我需要帮助 from the self-report link: the link has been checked by the caller
    (arrivals.health.services.self_report_observation); the request lands in the
    community of the observation and nowhere else."""
    Observation.objects.select_for_update().filter(pk=observation.pk).first()
    _active(observation)
    kind = _kind(kind)
    detail = _text(detail, "detail", limit=300)
    if kind == RequestKind.OTHER and not detail:
        raise invalid("detail", _("请说明需要什么帮助"), "required")
    if observation.care_requests.filter(status__in=OPEN).count() >= SELF_OPEN_MAX:
        raise invalid(
            "kind",
            _("您已有 %(n)s 项求助在办理中，请等社区联系您") % {"n": SELF_OPEN_MAX},
            "too_many",
        )
    request = _create_request(
        observation=observation, kind=kind, detail=detail, by_self=True, raised_by=None
    )
    audit_record(
        actor=None,
        action=AuditAction.CHANGE,
        obj=request,
        area=observation.area,
        detail=f"本人求助 {kind}",
    )
    _touched(observation.area_id)
    return request


def _locked(request: CareRequest) -> CareRequest:
    return CareRequest.objects.select_for_update().select_related("area").get(pk=request.pk)


def _require_open(request: CareRequest) -> None:
    if request.status not in OPEN:
        raise Conflict(
            "status",
            _("这项求助已%(status)s") % {"status": request.get_status_display()},
            code="closed",
        )


@transaction.atomic
def request_take(
    *,
    actor: Any,
    request: CareRequest,
    assignee: Any = None,
    volunteer: str = "",
) -> CareRequest:
    """已接单: by the actor (no assignee), by a colleague (an account that serves care in
    the request's community) or by a volunteer (a name). Reassigning an open request is
    the same call."""
    _serve(actor)
    ensure_visible(request, actor)
    request = _locked(request)
    _require_open(request)
    volunteer = _text(volunteer, "volunteer", limit=50)
    if assignee is not None and volunteer:
        raise invalid("volunteer", _("同事和志愿者只能选一个"), "invalid")
    if volunteer:
        request.assignee, request.volunteer = actor, volunteer
    else:
        assignee = assignee or actor
        if (
            not isinstance(assignee, get_user_model())
            or not assignee.can(CareCapability.SERVE)
            or not assignee.area_id
            or not is_visible(request, assignee)
        ):
            raise invalid("assignee", _("这位同事不负责这个社区的求助"), "out_of_scope")
        request.assignee, request.volunteer = assignee, ""
    request.status = RequestStatus.TAKEN
    request.taken_at = request.taken_at or timezone.now()
    request.save(update_fields=["assignee", "volunteer", "status", "taken_at"])
    _audit(actor, request, f"接单 {request.handler}")
    return request


@transaction.atomic
def request_close(
    *, actor: Any, request: CareRequest, done: bool, outcome: str = ""
) -> CareRequest:
    """已完成, or 无法完成 with why (`outcome`)."""
    _serve(actor)
    ensure_visible(request, actor)
    request = _locked(request)
    _require_open(request)
    outcome = _text(outcome, "outcome", required=not done)
    now = timezone.now()
    request.status = RequestStatus.DONE if done else RequestStatus.FAILED
    request.outcome = outcome
    request.closed_at, request.closed_by = now, actor
    if request.assignee_id is None:
        request.assignee, request.taken_at = actor, now
    request.save(
        update_fields=["status", "outcome", "closed_at", "closed_by", "assignee", "taken_at"]
    )
    _audit(actor, request, f"{request.status} {outcome}")
    return request


@transaction.atomic
def announcement_publish(
    *,
    actor: Any,
    area: Any,
    title: str,
    body: str,
    phones: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Announcement:
    """A community's notice to its residents, shown on their phone pages."""
    _serve(actor)
    ensure_visible(area, actor, field="area")
    if area.kind not in LIVING_KINDS:
        raise invalid("area", _("公告由社区、村或片区发布"), "invalid")
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts_on:
        raise invalid("ends_on", _("截止日期不能早于发布日期"), "invalid")
    announcement = Announcement.objects.create(
        area=area,
        title=_text(title, "title", required=True, limit=60),
        body=_text(body, "body", required=True, limit=800),
        phones=_text(phones, "phones", limit=120),
        starts_on=starts_on,
        ends_on=ends_on,
        by=actor,
    )
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=announcement, area=area,
        detail=f"发布公告 {announcement.title}",
    )  # fmt: skip
    return announcement


@transaction.atomic
def announcement_withdraw(*, actor: Any, announcement: Announcement) -> Announcement:
    _serve(actor)
    ensure_visible(announcement, actor)
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.withdrawn_at is None:
        announcement.withdrawn_at = timezone.now()
        announcement.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor, action=AuditAction.CHANGE, obj=announcement, area=announcement.area,
            detail=f"撤下公告 {announcement.title}",
        )  # fmt: skip
    return announcement
