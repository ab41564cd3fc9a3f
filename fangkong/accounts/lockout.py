"""What a locked-out login gets: JSON for the API, the Chinese login page otherwise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

LOCKED_REASON = _("登录失败次数过多，该账号已暂时锁定，请 %(minutes)s 分钟后再试或联系管理员")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    reason = LOCKED_REASON % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"errors": [{"field": "username", "code": "locked_out", "reason": reason}]},
            status=429,
        )
    from fangkong.accounts.forms import LoginForm

    form = LoginForm(request)
    return render(
        request, "accounts/login.html", {"form": form, "locked_reason": reason}, status=429
    )
