from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from fangkong.core.env import env_bool, env_int
from tests.conftest import World

PRODUCTION = {
    "FANGKONG_DEBUG": "false",
    "FANGKONG_SECRET_KEY": "p" * 20 + "-production-secret-key-for-check-deploy-0123456789",
    "FANGKONG_FIELD_KEY": "f" * 40,
    "FANGKONG_ALLOWED_HOSTS": "fangkong.example.org",
}


def fangkong(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("FANGKONG_")}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if "FANGKONG_DATABASE_URL" in os.environ:
        base["FANGKONG_DATABASE_URL"] = os.environ["FANGKONG_DATABASE_URL"]
    return subprocess.run(
        [sys.executable, "-m", "fangkong", *args],
        capture_output=True,
        text=True,
        env={**base, **env},
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = fangkong(
        "check", "--deploy", "--fail-level", "WARNING", FANGKONG_VAR_DIR=str(tmp_path), **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FANGKONG_DEBUG", "maybe", "is not a boolean"),
        ("FANGKONG_SECRET_KEY", "short", "at least 50"),
        ("FANGKONG_DATABASE_URL", "mysql://x", "must start with postgres://"),
        ("FANGKONG_SESSION_IDLE_SECONDS", "ten", "is not an integer"),
        ("FANGKONG_FIELD_KEY", "short", "at least 32"),
    ],
)
def test_a_bad_setting_fails_loudly(tmp_path: Path, name: str, value: str, message: str) -> None:
    result = fangkong("check", FANGKONG_VAR_DIR=str(tmp_path), **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_needs_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "FANGKONG_SECRET_KEY"}
    result = fangkong("check", FANGKONG_VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0 and "FANGKONG_SECRET_KEY must be set" in result.stderr


def test_env_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    assert env_bool("X_BOOL", False) is True
    monkeypatch.setenv("X_INT", "-1")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 3, minimum=0)


def test_healthz_answers_when_the_database_does(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_the_schema_and_docs_are_served_locally(world: World) -> None:
    client = Client()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/areas/",
        "/api/v1/auth/token/",
        "/api/v1/policies/in-force/",
        "/api/v1/audit-events/",
    ):
        assert path in text
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower() and 'src="http' not in docs


def test_the_home_page_shows_the_area_and_real_counts(world: World) -> None:
    page = world.client(world.wanping_officer).get("/").content.decode()
    assert "宛平城地区" in page
    assert 'data-stat="communities">3<' in page  # 宛平城社区 + 2 villages
    assert 'data-stat="zones">3<' in page
    assert "宛平城社区" in page and "镇国寺社区" not in page
    district = world.client(world.district_officer).get("/").content.decode()
    assert 'data-stat="streets">7<' in district


def test_pages_load_front_end_libraries_from_our_static_files(world: World) -> None:
    page = world.client(world.wanping_worker).get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "cdn" not in page.lower()


def test_the_demo_command_is_idempotent(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    from fangkong.accounts.models import User
    from fangkong.areas.models import Area

    call_command("demo", "--no-serve")
    call_command("demo", "--no-serve")
    assert Area.objects.filter(code="110106014001Z3", name="城北街").count() == 1
    # The 12 demo accounts and 镇国寺's nine more community workers (fangkong.care.demo).
    assert User.objects.count() == 12 + 9
    out = capsys.readouterr().out
    assert "wanping_worker" in out and "社区工作者 · 宛平城社区" in out


def test_every_api_route_is_in_the_schema(world: World) -> None:
    """A new endpoint shows up in /api/schema/ without anyone adding it to a list here."""
    import yaml

    from tests.core.test_scoping_walk import walk

    schema = yaml.safe_load(Client().get("/api/schema/").content)

    def shape(p: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", p)

    documented = {shape(p) for p in schema["paths"]}
    for route, converters in walk():
        if not route.startswith("api/v1/"):
            continue
        path = "/" + route
        for name, _conv in converters.items():
            for kind in ("str", "int", "slug", "uuid", "path"):
                path = path.replace(f"<{kind}:{name}>", "{" + name + "}")
        assert shape(path) in documented, f"{path} is missing from the OpenAPI schema"


def test_the_home_page_counts_people(world: World) -> None:
    from tests.conftest import WANPING
    from tests.factories import make_person

    make_person(world.wanping_worker, world.areas[WANPING], "甲")
    make_person(
        world.wanping_worker,
        world.areas[f"{WANPING}Z1"],
        "乙",
        whereabouts="not_back",
        away_from="湖北省",
    )
    page = world.client(world.wanping_officer).get("/").content.decode()
    assert 'data-stat="people">2<' in page and 'data-stat="not_back">1<' in page


def test_fields_answered_as_null_are_nullable_in_the_schema(db: None) -> None:
    """A check without a pass, a notice for home observation, a spot check not yet done:
    their null answers must be allowed by the schema clients validate against."""
    import yaml

    components = yaml.safe_load(Client().get("/api/schema/").content)["components"]["schemas"]
    for schema, field in (
        ("CheckOutput", "pass_number"),
        ("VisitOutput", "policy"),
        ("SpotCheckOutput", "checked_by"),
        ("NoticeOutput", "unit_name"),
    ):
        assert components[schema]["properties"][field].get("nullable") is True, (schema, field)
