from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from fangkong.core.middleware import ProxiedClientMiddleware


def client_of(forwarded: str, count: int) -> str:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["ip"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    with override_settings(PROXY_COUNT=count):
        ProxiedClientMiddleware(view)(
            RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.9")
        )
    return seen["ip"]


def test_it_trusts_only_the_configured_number_of_proxies() -> None:
    assert client_of("6.6.6.6, 203.0.113.7", 1) == "203.0.113.7"  # 6.6.6.6 is spoofed
    assert client_of("203.0.113.7, 10.0.0.2", 2) == "203.0.113.7"
    assert client_of("203.0.113.7", 0) == "10.0.0.9"  # no proxy: the header is ignored
    assert client_of("", 1) == "10.0.0.9"
