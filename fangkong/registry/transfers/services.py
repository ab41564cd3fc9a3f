"""The only writers of handovers. The asking community files the request for a person it
found by document number (nothing about them is shown until the holder agrees); the
holding community accepts — the record moves to the asking community, and the current
home there ends — or refuses, saying why; the asker may withdraw while it waits. Every
step is audited, and each side writes only inside its own jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.identity import validate_document
from fangkong.core.scoping import ensure_visible, is_visible
from fangkong.registry.models import (
    DocumentType,
    Person,
    Residence,
    ResidenceKind,
    Transfer,
    TransferStatus,
)
from fangkong.registry.people.selectors import person_with_document
from fangkong.registry.people.services import (
    address_get_or_create,
    check_living_area,
    residence_set,
)


def person_by_document(document_type: str, number: str) -> Person | None:
    """The one person registered with this document, wherever (following merges)."""
    if document_type not in DocumentType.values:
        raise invalid(
            "document_type",
            _("未知证件类型“%(document_type)s”") % {"document_type": document_type},
            "invalid_choice",
        )
    try:
        number = validate_document(document_type, number)
    except ValidationError as exc:
        raise invalid("document_number", " ".join(exc.messages), "invalid") from None
    return person_with_document(document_type, number)


@transaction.atomic
def transfer_request(
    *,
    actor: Any,
    document_type: str,
    document_number: str,
    to_area: Area,
    reason: str,
    home: dict[str, Any] | None = None,
) -> Transfer:
    """Ask the community holding this person's record to hand it over to `to_area`."""
    ensure_visible(to_area, actor, field="to_area")
    check_living_area(to_area, "to_area")
    reason = (reason or "").strip()
    if not reason:
        raise invalid("reason", _("请写明转入原因，如：已搬到本社区居住"), "required")
    person = person_by_document(document_type, document_number)
    if person is None:
        raise invalid(
            "document_number", _("没有找到以此证件登记的人员，可以直接在本社区登记"), "not_found"
        )
    if is_visible(person, actor):
        raise invalid("document_number", _("此人已登记在您的辖区，不需要转交"), "already_yours")
    address, kind = None, ""
    if home and (home.get("building") or "").strip():
        kind = home.get("kind") or ResidenceKind.TENANT
        if kind not in ResidenceKind.values:
            raise invalid("kind", _("未知居住类型“%(kind)s”") % {"kind": kind}, "invalid_choice")
        address = address_get_or_create(
            area=to_area,
            building=home["building"],
            entrance=home.get("entrance") or "",
            room=home.get("room") or "",
        )
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                person=person,
                from_area_id=person.area_id,
                to_area=to_area,
                address=address,
                kind=kind,
                reason=reason[:200],
                requested_by=actor,
            )
    except IntegrityError:
        pending = Transfer.objects.filter(person=person, status=TransferStatus.PENDING).first()
        raise Conflict(
            "document_number",
            _("此人已有一份待接收的转交申请，请等原社区答复"),
            code="pending",
            id=pending.pk if pending and is_visible(pending, actor) else None,
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=transfer,
        area=to_area,
        detail=f"申请把人员 #{person.pk} 转入本社区",
    )
    return transfer


def _pending(transfer: Transfer) -> Transfer:
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.status != TransferStatus.PENDING:
        raise Conflict(
            "status",
            _("这份转交已经%(status)s") % {"status": locked.get_status_display()},
            code="not_pending",
        )
    return locked


def _holder(actor: Any, transfer: Transfer) -> None:
    """Only the community holding the record answers (a parent level sees both sides)."""
    ensure_visible(transfer.from_area, actor, field="transfer")


@transaction.atomic
def transfer_accept(*, actor: Any, transfer: Transfer, today: dt.date | None = None) -> Transfer:
    """The holder agrees: the record moves to the asking community; the current home ends
    today and, where the request named one, the new home begins."""
    _holder(actor, transfer)
    transfer = _pending(transfer)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    when = today or timezone.localdate()
    if person.area_id != transfer.from_area_id:
        raise Conflict("status", _("此人的登记社区已经变了，请重新申请"), code="moved")
    if transfer.address_id is not None:
        residence_set(
            person=person,
            address=transfer.address,  # type: ignore[arg-type]
            kind=transfer.kind or ResidenceKind.TENANT,
            since=when,
        )
    else:
        Residence.objects.filter(person=person, until__isnull=True).update(until=when)
    Person.objects.filter(pk=person.pk).update(area=transfer.to_area_id, updated_at=timezone.now())
    figures_touched.send(sender=Person, areas=[transfer.from_area_id, transfer.to_area_id], on=when)
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=transfer,
        area=transfer.from_area,
        detail=f"同意把人员 #{person.pk} 转交到 {transfer.to_area.code}",
    )
    return transfer


@transaction.atomic
def transfer_refuse(*, actor: Any, transfer: Transfer, answer: str) -> Transfer:
    _holder(actor, transfer)
    answer = (answer or "").strip()
    if not answer:
        raise invalid("answer", _("不同意时请写明原因，如：此人仍住在本社区"), "required")
    transfer = _pending(transfer)
    transfer.status, transfer.answer = TransferStatus.REFUSED, answer[:200]
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save(update_fields=["status", "answer", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=transfer,
        area=transfer.from_area,
        detail="不同意转交",
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Any, transfer: Transfer) -> Transfer:
    """The asking community withdraws its request while it waits."""
    ensure_visible(transfer.to_area, actor, field="transfer")
    transfer = _pending(transfer)
    transfer.status = TransferStatus.CANCELLED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=transfer,
        area=transfer.to_area,
        detail="撤回转交申请",
    )
    return transfer
