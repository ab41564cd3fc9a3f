"""Personas (STYLE.md): a Wanping community worker, a Zhenguosi worker who must see
nothing of Wanping, the Wanping street officer above the first, a district officer above
both, a gate guard and a system admin — on the demo tree of 丰台区."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.accounts.services import account_upsert
from fangkong.areas.demo import load_demo_areas
from fangkong.areas.models import Area

PASSWORD = "correct-horse-battery-1"

WANPING = "110106014001"
WANPING_ZONE = "110106014001Z1"
ZHENGUOSI = "110106015001"
WANPING_STREET = "110106014"
FENGTAI = "110106"


@dataclass
class World:
    areas: dict[str, Area]
    wanping_worker: User
    zhenguosi_worker: User
    wanping_officer: User
    district_officer: User
    guard: User
    admin: User

    def client(self, user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def api(self, user: User) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client


def make_account(username: str, role: str, code: str | None) -> User:
    area = Area.objects.get(code=code) if code else None
    return account_upsert(username=username, role=role, area=area, password=PASSWORD)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's language: a page read in English must not leave the
    next test's thread translating."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db: None) -> World:
    areas = load_demo_areas()
    return World(
        areas=areas,
        wanping_worker=make_account("wanping_worker", Role.COMMUNITY_WORKER, WANPING),
        zhenguosi_worker=make_account("zhenguosi_worker", Role.COMMUNITY_WORKER, ZHENGUOSI),
        wanping_officer=make_account("wanping_officer", Role.STREET_OFFICER, WANPING_STREET),
        district_officer=make_account("fengtai_officer", Role.DISTRICT_OFFICER, FENGTAI),
        guard=make_account("chengnei_guard", Role.GATE_GUARD, WANPING_ZONE),
        admin=make_account("admin", Role.SYSTEM_ADMIN, None),
    )


@pytest.fixture
def audit_flushable(transactional_db: None) -> Iterator[None]:
    """Transactional tests end with a flush, which SQLite does with DELETE — the very
    thing the append-only trigger refuses. Lift the SQLite trigger just for that flush
    (PostgreSQL flushes with TRUNCATE, which the row trigger does not see)."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("fangkong.audit.migrations.0002_append_only")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in migration.SQLITE_DROP:
                cursor.execute(sql)
            cursor.execute("DELETE FROM audit_auditevent")
            for sql in migration.SQLITE:
                cursor.execute(sql)


@pytest.fixture
def migrations_restored(audit_flushable: None) -> Iterator[None]:
    """For a test that migrates an app back and forth: afterwards every app is migrated to
    its latest state again — migrating one app back also unapplies the apps that depend on
    it (duty and supplies on arrivals and registry), whose tables later tests need."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
