from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.audit.module import AuditCapability
from fangkong.core.views import capability_required


@capability_required(AuditCapability.VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    qs = AuditEvent.objects.visible_to(request.user).select_related("area")
    action = request.GET.get("action", "")
    actor = request.GET.get("actor", "").strip()
    if action in AuditAction.values:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name=actor)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "action": action,
            "actor": actor,
        },
    )
