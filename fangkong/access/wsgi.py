"""A short lane through the WSGI handler for the gate check, the hot path.

A gate device's check — ``POST /api/v1/gate-checks/`` with ``Authorization: Token …``, a
JSON body and no cookies — uses none of what most of Django's middleware does: no session,
no CSRF (token auth), no messages, no language negotiation (the answers are fixed Chinese
text), no static files, and it needs no URL resolution. Measured on a worker, that stack
and the resolver walk cost a gate check more CPU than the bare Django JSON view spends in
all. So `GateCheckWSGIHandler` hands exactly those requests to
`fangkong.access.api.token_fast_path` through a short middleware chain, and everything
else (pages, other API routes, GET of the log, session-authenticated phones) through
Django's full stack as before.

What the lane keeps, because it matters for an API behind our nginx:
* the request lifecycle: the same `WSGIHandler.__call__` sends `request_started` and, when
  the server closes the response, `request_finished` (persistent connections,
  CONN_MAX_AGE, close_old_connections);
* the middleware in `LANE_MIDDLEWARE`, from settings.MIDDLEWARE in its order:
  ProxiedClientMiddleware (REMOTE_ADDR), SecurityMiddleware (SECURE_SSL_REDIRECT with
  SECURE_PROXY_SSL_HEADER, HSTS, nosniff, referrer policy, COOP), CommonMiddleware
  (ALLOWED_HOSTS through `request.get_host()`, disallowed user agents, Content-Length) and
  XFrameOptionsMiddleware — whichever of them the settings list;
* error handling: every layer is wrapped in `convert_exception_to_response`, as Django
  does, so an exception becomes a logged 500 (or the 400 of a DisallowedHost), never a
  crash of the worker; 4xx and 5xx answers are logged by `log_response` like any other.

The lane is off (every request takes the full stack) when a database has
ATOMIC_REQUESTS, or when the URL conf does not route `LANE_PATH` to the gate-check view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve, set_urlconf
from django.utils.log import log_response
from django.utils.module_loading import import_string

LANE_PATH = "/api/v1/gate-checks/"
LANE_MIDDLEWARE = frozenset(
    {
        "fangkong.core.middleware.ProxiedClientMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    }
)

# convert_exception_to_response is typed for sync and async handlers alike: this one is sync.
Handler = Callable[[HttpRequest], Any]


class GateCheckWSGIHandler(WSGIHandler):
    """Django's WSGI handler with the gate-check lane (see the module's docstring)."""

    _lane: Handler | None = None
    _lane_routed: bool | None = None  # None: not yet checked against the URL conf

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async)
        self._lane = None if is_async else self._lane_chain()

    def _lane_chain(self) -> Handler | None:
        if any(db.get("ATOMIC_REQUESTS") for db in settings.DATABASES.values()):
            return None
        from fangkong.access.api import token_fast_path

        handler: Handler = convert_exception_to_response(token_fast_path)
        for path in reversed(settings.MIDDLEWARE):
            if path not in LANE_MIDDLEWARE:
                continue
            try:
                middleware = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            handler = convert_exception_to_response(middleware)
        return handler

    def takes_lane(self, request: HttpRequest) -> bool:
        meta = request.META
        if not (
            self._lane is not None
            and request.method == "POST"
            and request.path_info == LANE_PATH
            and meta.get("HTTP_AUTHORIZATION", "").startswith("Token ")
            and request.content_type == "application/json"
            and "HTTP_COOKIE" not in meta  # cookies: session, CSRF, messages take part
        ):
            return False
        if self._lane_routed is None:
            self._lane_routed = _routes_to_gate_check()
        return self._lane_routed

    def get_response(self, request: HttpRequest) -> HttpResponseBase:
        lane = self._lane
        if lane is None or not self.takes_lane(request):
            return super().get_response(request)
        # BaseHandler.get_response with the short chain.
        set_urlconf(settings.ROOT_URLCONF)
        response: HttpResponse = lane(request)
        response._resource_closers.append(request.close)  # type: ignore[attr-defined]
        if response.status_code >= 400:
            log_response(
                "%s: %s",
                response.reason_phrase,
                request.path,
                response=response,
                request=request,
            )
        return response


def _routes_to_gate_check() -> bool:
    from fangkong.access.api import GateCheckApi

    try:
        match = resolve(LANE_PATH, urlconf=settings.ROOT_URLCONF)
    except Resolver404:
        return False
    view: Any = match.func
    return getattr(view, "view_class", None) is GateCheckApi


def get_wsgi_application() -> GateCheckWSGIHandler:
    """`django.core.wsgi.get_wsgi_application` with the gate-check lane."""
    import django

    django.setup(set_prefix=False)
    return GateCheckWSGIHandler()
