"""The gate check's short lane through the WSGI handler (fangkong.access.wsgi), tested on
the real WSGI application object of fangkong.wsgi: a device's check skips the full
middleware stack and gives the same answers; everything else still goes through Django."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from rest_framework.authtoken.models import Token

from fangkong.access import checks
from fangkong.access.models import GateCheck
from fangkong.access.wsgi import GateCheckWSGIHandler
from fangkong.wsgi import application
from tests.access.conftest import Post

GATE_CHECKS = "/api/v1/gate-checks/"
HEADERS = (
    "Content-Type",
    "Content-Length",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Idempotent-Replayed",
    "WWW-Authenticate",
)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    full_stack: bool  # went through Django's whole middleware chain

    def json(self) -> Any:
        return json.loads(self.body)

    def same_as(self, other: Answer) -> bool:
        mine = {k: v for k, v in self.headers.items() if k in HEADERS}
        theirs = {k: v for k, v in other.headers.items() if k in HEADERS}
        return (self.status, mine, self.body) == (other.status, theirs, other.body)


@dataclass
class Device:
    """Speaks WSGI to a handler, like gunicorn does."""

    key: str
    handler: GateCheckWSGIHandler = field(default_factory=lambda: application)

    def call(
        self,
        body: bytes | dict[str, Any] = b"",
        *,
        method: str = "POST",
        path: str = GATE_CHECKS,
        content_type: str = "application/json",
        **extra: str,
    ) -> Answer:
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(raw)),
            "HTTP_AUTHORIZATION": f"Token {self.key}",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(raw),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        environ.update(extra)
        environ = {k: v for k, v in environ.items() if v is not None}
        started: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            started["status"], started["headers"] = status, dict(headers)

        full = self.handler._middleware_chain
        spy = mock.Mock(wraps=full)
        with mock.patch.object(self.handler, "_middleware_chain", spy):
            result = self.handler(environ, start_response)
            try:
                content = b"".join(result)
            finally:
                result.close()  # what the server does: sends request_finished
        return Answer(int(started["status"].split()[0]), started["headers"], content, spy.called)


@pytest.fixture
def device(post: Post) -> Device:
    return Device(Token.objects.get_or_create(user=post.world.guard)[0].key)


@pytest.fixture
def signals() -> Iterator[list[str]]:
    """The lifecycle signals sent, in order. close_old_connections is disconnected during
    the test, as django.test.Client does: it would close the test's transaction."""
    sent: list[str] = []

    def started(**kwargs: Any) -> None:
        sent.append("request_started")

    def finished(**kwargs: Any) -> None:
        sent.append("request_finished")

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(started)
    request_finished.connect(finished)
    yield sent
    request_started.disconnect(started)
    request_finished.disconnect(finished)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def a_check(post: Post, **body: Any) -> dict[str, Any]:
    check = {
        "check_id": str(uuid.uuid4()),
        "gate": post.gate.pk,
        "direction": "in",
        "temperature": 36.5,
        "pass_token": post.card.token,
    }
    check.update(body)
    return check


def test_the_wsgi_application_is_the_handler_with_the_lane() -> None:
    assert isinstance(application, GateCheckWSGIHandler)


def test_a_device_check_takes_the_lane_with_the_lifecycle_and_security_headers(
    post: Post, device: Device, signals: list[str]
) -> None:
    answer = device.call(a_check(post))
    assert not answer.full_stack
    assert answer.status == 201
    assert answer.json()["decision"] == "admit" and answer.json()["person"] == {"name": "李**"}
    assert GateCheck.objects.get().guard == post.world.guard
    assert signals == ["request_started", "request_finished"]
    assert answer.headers["Content-Type"] == "application/json"
    assert answer.headers["Content-Length"] == str(len(answer.body))
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert "Set-Cookie" not in answer.headers


def test_the_lane_answers_exactly_as_the_full_stack(
    post: Post, device: Device, signals: list[str]
) -> None:
    """The same requests, once in the lane and once forced through the full stack by a
    cookie: same status, body and headers, and a retry in either is the first answer."""
    cookie = {"HTTP_COOKIE": "lang=zh"}
    first = a_check(post)
    lane = device.call(first)
    replay_full = device.call(first, **cookie)
    replay_lane = device.call(first)
    assert not lane.full_stack and replay_full.full_stack and not replay_lane.full_stack
    assert replay_full.headers["Idempotent-Replayed"] == "true"
    assert replay_full.body == lane.body and replay_full.same_as(replay_lane)
    assert GateCheck.objects.count() == 1

    fever = a_check(post, temperature=37.6)
    requests: list[tuple[dict[str, Any] | bytes, dict[str, str]]] = [
        (a_check(post, pass_token="forged"), {}),  # 201 deny no_pass
        (a_check(post, temperature="hot"), {}),  # 400
        (a_check(post, gate=post.zhenguosi_gate.pk), {}),  # 404
        (b"{not json", {}),  # 400 parse error
        (a_check(post), {"HTTP_AUTHORIZATION": "Token nope"}),  # 401
    ]
    for body, extra in requests:
        in_lane = device.call(body, **extra)
        in_full = device.call(body, **extra, **cookie)
        assert not in_lane.full_stack and in_full.full_stack
        if in_lane.status == 201:  # a fresh check each: compare the answers, not the ids
            assert in_lane.json()["reasons"] == in_full.json()["reasons"] == ["no_pass"]
        else:
            assert in_lane.same_as(in_full), (in_lane, in_full)
    assert [device.call(fever).status, device.call(fever, **cookie).status] == [201, 201]
    worker = Device(Token.objects.get_or_create(user=post.world.wanping_worker)[0].key)
    elsewhere = a_check(post, check_id=first["check_id"], gate=post.qiaoxi_gate.pk)
    conflict = worker.call(elsewhere)
    assert conflict.status == 409 and not conflict.full_stack
    assert conflict.same_as(worker.call(elsewhere, **cookie))
    officer = Device(Token.objects.get_or_create(user=post.world.wanping_officer)[0].key)
    denied = officer.call(a_check(post))
    assert denied.status == 403 and not denied.full_stack
    assert denied.same_as(officer.call(a_check(post), **cookie))


@pytest.mark.parametrize(
    ("method", "path", "content_type", "extra"),
    [
        ("GET", GATE_CHECKS, "", {}),  # the log
        ("POST", GATE_CHECKS, "application/json", {"HTTP_COOKIE": "sessionid=x"}),  # a page
        ("POST", GATE_CHECKS, "application/json", {"HTTP_AUTHORIZATION": None}),  # session
        ("POST", GATE_CHECKS, "application/x-www-form-urlencoded", {}),
        ("POST", "/api/v1/gate-referrals/", "application/json", {}),
        ("GET", "/healthz", "", {}),
    ],
)
def test_everything_else_goes_through_django(
    post: Post,
    device: Device,
    signals: list[str],
    method: str,
    path: str,
    content_type: str,
    extra: dict[str, Any],
) -> None:
    answer = device.call(b"{}", method=method, path=path, content_type=content_type, **extra)
    assert answer.full_stack
    assert signals == ["request_started", "request_finished"]


def test_a_host_not_allowed_is_refused_in_the_lane(
    post: Post, device: Device, signals: list[str]
) -> None:
    answer = device.call(a_check(post), HTTP_HOST="evil.example.org")
    assert answer.status == 400 and not answer.full_stack
    assert not GateCheck.objects.exists()


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=3600)
def test_plain_http_is_redirected_and_https_behind_the_proxy_is_served(
    post: Post, device: Device, signals: list[str]
) -> None:
    secure = Device(device.key, GateCheckWSGIHandler())  # middleware reads settings at load
    plain = secure.call(a_check(post))
    assert plain.status == 301 and not plain.full_stack
    assert plain.headers["Location"] == f"https://testserver{GATE_CHECKS}"
    assert not GateCheck.objects.exists()
    proxied = secure.call(a_check(post), HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status == 201 and not proxied.full_stack
    assert proxied.headers["Strict-Transport-Security"].startswith("max-age=3600")


def test_an_exception_in_the_lane_is_a_logged_500(
    post: Post, device: Device, signals: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    boom: Callable[..., Any] = mock.Mock(side_effect=RuntimeError("database on fire"))
    with (
        mock.patch.object(checks, "gate_check", boom),
        caplog.at_level(logging.ERROR, logger="django.request"),
    ):
        answer = device.call(a_check(post))
    assert answer.status == 500 and not answer.full_stack
    assert signals == ["request_started", "request_finished"]
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].exc_info and "database on fire" in str(logged[0].exc_info[1])
    assert device.call(a_check(post)).status == 201  # the worker goes on


def test_the_lane_is_off_with_atomic_requests(post: Post, signals: list[str]) -> None:
    with mock.patch.dict(settings.DATABASES["default"], {"ATOMIC_REQUESTS": True}):
        handler = GateCheckWSGIHandler()
    assert handler._lane is None
    key = Token.objects.get_or_create(user=post.world.guard)[0].key
    answer = Device(key, handler).call(a_check(post))
    assert answer.status == 201 and answer.full_stack
