"""Recording what people did with personal data. Callers pass ids and kinds, never the
document number or phone itself: the log must not become a copy of what it protects."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from fangkong.audit.models import AuditAction, AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy
    # configuration (docs/deploy.md); we do not trust the header ourselves.
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any,
    action: str,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    area: Any = None,
    detail: str = "",
) -> AuditEvent:
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        area = area if area is not None else getattr(obj, "area", None)
    is_user = getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_name=actor.get_username() if is_user else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        area=area if area is not None else (actor.area if is_user else None),
        ip=client_ip(request),
        detail=detail[:300],
    )


def audit_view_record(
    *, actor: Any, obj: models.Model, request: HttpRequest | None = None, detail: str = ""
) -> AuditEvent:
    return audit_record(
        actor=actor, action=AuditAction.VIEW_RECORD, obj=obj, request=request, detail=detail
    )


def audit_document_search(
    *, actor: Any, request: HttpRequest | None = None, found: int = 0
) -> AuditEvent:
    return audit_record(
        actor=actor, action=AuditAction.SEARCH_DOCUMENT, request=request, detail=f"结果 {found} 条"
    )


def audit_export(
    *, actor: Any, what: str, rows: int, request: HttpRequest | None = None, area: Any = None
) -> AuditEvent:
    return audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        request=request,
        object_type=what,
        area=area,
        detail=f"{rows} 行",
    )
