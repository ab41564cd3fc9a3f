from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from fangkong.core.views import capability_required
from fangkong.policy.models import PolicyVersion
from fangkong.policy.module import PolicyCapability
from fangkong.policy.selectors import policy_in_force


@capability_required(PolicyCapability.VIEW)
def policy_list(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("date", "").strip()
    error = ""
    on = timezone.localdate()
    if raw:
        try:
            on = dt.date.fromisoformat(raw)
        except ValueError:
            error = f"日期“{raw}”格式不对，应为 年-月-日，如 2020-02-20"
    in_force = None
    if not error:
        try:
            in_force = policy_in_force(on=on)
        except ValidationError as exc:
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
    )


@capability_required(PolicyCapability.VIEW)
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(PolicyVersion.objects.prefetch_related("origin_rules"), pk=pk)
    return render(request, "policy/detail.html", {"policy": policy})
