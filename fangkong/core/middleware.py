from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
