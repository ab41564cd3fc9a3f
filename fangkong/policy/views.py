from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from fangkong.core.dates import parse_day
from fangkong.core.views import capability_required
from fangkong.policy.models import PolicyVersion
from fangkong.policy.module import PolicyCapability
from fangkong.policy.selectors import policy_in_force


@capability_required(PolicyCapability.VIEW)
def policy_list(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("date", "").strip()
    error = ""
    in_force = None
    try:
        on = parse_day(raw)
        in_force = policy_in_force(on=on)
    except ValidationError as exc:
        on = timezone.localdate()
        error = " ".join(exc.messages)
    return render(
        request,
        "policy/list.html",
        {
            "versions": PolicyVersion.objects.prefetch_related("origin_rules"),
            "in_force": in_force,
            "on": on,
            "error": error,
            "raw": raw,
        },
        status=400 if error else 200,
    )


@capability_required(PolicyCapability.VIEW)
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(PolicyVersion.objects.prefetch_related("origin_rules"), pk=pk)
    return render(request, "policy/detail.html", {"policy": policy})
