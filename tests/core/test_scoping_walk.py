"""The generic scoping test: every page and API endpoint, walked as an account of another
community, shows nothing of Wanping. New URLs are picked up from the URL conf, so a new
endpoint is covered without writing a new test."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from fangkong.arrivals.health.services import report_submit
from fangkong.arrivals.notices.services import notice_file
from fangkong.arrivals.observation.services import observation_start
from fangkong.audit.services import audit_record
from fangkong.site.services import daily_run
from tests.conftest import WANPING, World
from tests.factories import make_person, valid_id, valid_mobile

# What must never show up for a Zhenguosi account: Wanping's names and codes.
WANPING_MARKERS = ["宛平城社区", "城内街", "桥西街", "城北街", WANPING]
# Also checked: the walk covers exports, so Excel workbooks are opened and read.
SKIP_PREFIXES = ("admin/", "i18n/", "accounts/logout/")


def walk(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            yield from walk(item, route)
        elif isinstance(item, URLPattern):
            yield route, item.pattern.converters


def list_routes() -> list[str]:
    return sorted(
        {
            "/" + route.lstrip("^").rstrip("$")
            for route, converters in walk()
            if not converters and not route.startswith(SKIP_PREFIXES)
        }
    )


def detail_routes() -> list[tuple[str, str]]:
    """Routes with exactly one argument, e.g. areas/<str:code>/."""
    out = []
    for route, converters in walk():
        if len(converters) == 1 and not route.startswith(SKIP_PREFIXES):
            out.append((route, next(iter(converters))))
    return sorted(set(out))


def wanping_identifiers() -> dict[str, set[str]]:
    """pk and code of every scoped record under Wanping, across all apps."""
    ids: dict[str, set[str]] = {"pk": set(), "code": set()}
    for model in apps.get_models():
        field = getattr(model, "scope_field", None)
        if field is None:
            continue
        path = f"{field}__path__startswith" if field else "path__startswith"
        for row in model._default_manager.filter(**{path: f"/110106/110106014/{WANPING}/"}):
            ids["pk"].add(str(row.pk))
            if hasattr(row, "code"):
                ids["code"].add(row.code)
    return ids


def body_text(response: Any) -> str:
    """Text of any response: pages, JSON, streamed files and Excel workbooks (zip)."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as book:
            raw = b"".join(book.read(name) for name in book.namelist())
    return raw.decode("utf-8", errors="replace")


def assert_nothing_of_wanping(response: Any, url: str) -> None:
    assert response.status_code < 500, url
    body = body_text(response)
    for marker in WANPING_MARKERS:
        assert marker not in body, f"{url} shows {marker!r} to a Zhenguosi account"


@pytest.fixture
def populated(world: World) -> World:
    """Wanping has a record of every kind: people, a household, a landlord and tenant."""
    audit_record(
        actor=world.wanping_worker,
        action="view_record",
        area=world.areas[WANPING],
        object_type="demo",
        object_id="1",
        detail="宛平城社区 record",
    )
    zone = world.areas[f"{WANPING}Z1"]
    landlord = make_person(world.wanping_worker, zone, "城内街房东", building="城内街12号院")
    make_person(
        world.wanping_worker,
        zone,
        "城内街租户",
        building="城内街12号院",
        room="3",
        kind="tenant",
        landlord=landlord,
        whereabouts="not_back",
        away_from="河北省",
    )
    resident = make_person(
        world.wanping_worker, world.areas[WANPING], "宛平城社区居民", building="宛平城社区1号楼"
    )
    # Returnees: a notice, an observation with a fever report (alert) and a missed one.
    today = timezone.localdate()
    notice_file(
        actor=world.wanping_worker,
        area=zone,
        filed_by="landlord",
        filer_name="城内街房东",
        origin_code="130000",
        origin_name="河北省",
        planned_on=today + dt.timedelta(days=3),
        mode="home",
        people=[{"name": "城内街返京租户", "document_number": valid_id(), "phone": valid_mobile()}],
        building="城内街12号院",
        room="4",
    )
    observation = observation_start(
        actor=world.wanping_worker,
        person=resident,
        area=world.areas[WANPING],
        mode="home",
        arrived_on=today - dt.timedelta(days=2),
    )
    report_submit(
        observation=observation,
        on=today - dt.timedelta(days=1),
        slot="morning",
        temperature="37.8",
        symptoms=["cough"],
        by_self=True,
    )
    daily_run(on=today)
    return world


def test_the_walk_finds_the_list_endpoints() -> None:
    routes = list_routes()
    assert "/api/v1/areas/" in routes and "/areas/" in routes and "/audit/" in routes


def test_a_zhenguosi_worker_sees_nothing_of_wanping_anywhere(populated: World) -> None:
    page = populated.client(populated.zhenguosi_worker)
    api = populated.api(populated.zhenguosi_worker)
    for url in list_routes():
        client = api if url.startswith("/api/") else page
        assert_nothing_of_wanping(client.get(url), url)


def test_wanping_objects_answer_404_to_a_zhenguosi_worker(populated: World) -> None:
    page = populated.client(populated.zhenguosi_worker)
    api = populated.api(populated.zhenguosi_worker)
    ids = wanping_identifiers()
    tried = 0
    for route, name in detail_routes():
        values = ids["code"] if name == "code" else ids["pk"]
        for value in values:
            url = "/" + route.replace(f"<{name}>", value)
            for conv in ("str", "int", "slug", "uuid", "path"):
                url = url.replace(f"<{conv}:{name}>", value)
            if "<" in url:
                continue
            client = api if url.startswith("/api/") else page
            response = client.get(url)
            if response.status_code != 404:
                assert_nothing_of_wanping(response, url)
            tried += 1
    assert tried > 0


def test_the_walk_would_catch_a_leak(populated: World) -> None:
    """The same walk as a Wanping account does see Wanping: the markers are real."""
    page = populated.client(populated.wanping_worker)
    seen = [
        url
        for url in list_routes()
        if not url.startswith("/api/") and WANPING_MARKERS[0] in body_text(page.get(url))
    ]
    assert {"/areas/", "/registry/people/", "/registry/households/"} <= set(seen)
    api = populated.api(populated.wanping_worker)
    for url in (
        "/api/v1/people/",
        "/api/v1/observations/",
        "/api/v1/alerts/",
        "/api/v1/arrival-notices/",
        "/api/v1/call-tasks/",
        "/api/v1/households/",
    ):
        assert WANPING in body_text(api.get(url)), url
