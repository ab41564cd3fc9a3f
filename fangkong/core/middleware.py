from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop


class ProxiedClientMiddleware:
    """Set REMOTE_ADDR to the real client when we run behind FANGKONG_PROXY_COUNT trusted
    reverse proxies. Each proxy appends the address it received from, so the client is
    the PROXY_COUNT-th entry from the right; anything further left is client-supplied and
    not trusted. Audit records and the login lock-out both read REMOTE_ADDR."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.count = settings.PROXY_COUNT

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.count:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            hops = [h.strip() for h in forwarded.split(",") if h.strip()]
            if len(hops) >= self.count:
                request.META["REMOTE_ADDR"] = hops[-self.count]
        return self.get_response(request)


# How pages name the parameters of a query string in a 400 (the API names them as sent).
PARAMETER_LABELS = {
    "date": gettext_noop("日期"),
    "from": gettext_noop("开始日期"),
    "to": gettext_noop("结束日期"),
    "area": gettext_noop("区域"),
}


class BadInputMiddleware:
    """A page whose input a service or a parser refused (a ValidationError the view did not
    turn into form errors itself) answers 400 naming the field and the reason, never a 500.
    The API has its own mapping (core.api)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ValidationError):
            return None
        if hasattr(exception, "error_dict"):
            errors = [
                (PARAMETER_LABELS.get(field, field), " ".join(messages))
                for field, messages in exception.message_dict.items()
            ]
        else:
            errors = [("", " ".join(exception.messages))]
        return render(request, "400.html", {"errors": errors}, status=400)
