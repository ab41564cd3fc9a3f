from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.accounts.services import account_upsert
from fangkong.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, World


def test_the_login_page_is_chinese(db: None) -> None:
    response = Client().get("/accounts/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body and "登录社区防控系统" in body and "用户名" in body


def test_english_is_available(db: None) -> None:
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
    assert '<html lang="en">' in body and "Log in" in body


def test_each_language_is_offered_in_its_own_words(db: None) -> None:
    for accept in ("zh-hans", "en"):
        body = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/accounts/login/").content.decode()
        assert ">English</option>" in body and ">简体中文</option>" in body, accept
        assert "英语" not in body and "Simplified Chinese" not in body, accept


def test_pages_need_a_login(db: None) -> None:
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_login_starts_a_new_session(world: World) -> None:
    client = Client()
    client.get("/accounts/login/")
    client.session["probe"] = 1
    before = client.session.session_key
    response = client.post("/accounts/login/", {"username": "wanping_worker", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.session_key != before
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=world.wanping_worker).exists()


def test_the_session_ends_after_30_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request pushes the expiry forward


def test_five_wrong_passwords_lock_the_login_page(world: World) -> None:
    client = Client()
    for _ in range(4):
        response = client.post(
            "/accounts/login/", {"username": "wanping_worker", "password": "wrong-password-123"}
        )
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "wanping_worker", "password": "wrong-password-123"}
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/accounts/login/", {"username": "wanping_worker", "password": PASSWORD})
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() >= 5


def test_five_wrong_passwords_lock_the_token_endpoint(world: World) -> None:
    client = APIClient()
    for _ in range(4):
        response = client.post(
            "/api/v1/auth/token/", {"username": "admin", "password": "wrong-password-123"}
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "password"
    response = client.post(
        "/api/v1/auth/token/", {"username": "admin", "password": "wrong-password-123"}
    )
    assert response.status_code == 429
    assert response.json()["errors"][0] == {
        "field": "username",
        "code": "locked_out",
        "reason": "登录失败次数过多，该账号已暂时锁定，请 30 分钟后再试或联系管理员",
    }


def test_a_token_opens_the_api(world: World) -> None:
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "wanping_worker", "password": PASSWORD}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/areas/").status_code == 200


def test_a_malformed_token_is_a_clear_401(db: None) -> None:
    for header in ["Token", "Token a b", "Token not-a-real-token", "Bearer xyz"]:
        response = APIClient().get("/api/v1/areas/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header
        error = response.json()["errors"][0]
        assert error["field"] == "Authorization" and error["reason"]


def test_passwords_need_12_characters(db: None) -> None:
    with pytest.raises(ValidationError):
        validate_password("Short-pw-1")
    validate_password("a-longer-pass-phrase")
    with pytest.raises(ValidationError) as err:
        account_upsert(
            username="x", role=Role.COMMUNITY_WORKER, area=None, password="a-longer-pass-phrase"
        )
    assert "area" in err.value.message_dict


def test_production_hashes_with_argon2() -> None:
    source = (settings.BASE_DIR / "settings.py").read_text(encoding="utf-8")
    assert source.index("Argon2PasswordHasher") < source.index("PBKDF2PasswordHasher")


def test_createsuperuser_makes_a_system_admin_who_sees_everything(world: World) -> None:
    env = {
        **os.environ,
        "DJANGO_SUPERUSER_PASSWORD": "super-secret-pass-1",
        "DJANGO_SUPERUSER_USERNAME": "root2",
        "DJANGO_SUPERUSER_EMAIL": "",
    }
    # Run in-process: the test database is only visible to this process.
    from django.core.management import call_command

    os.environ.update(
        {k: env[k] for k in ("DJANGO_SUPERUSER_PASSWORD", "DJANGO_SUPERUSER_USERNAME")}
    )
    try:
        call_command("createsuperuser", interactive=False, email="root@example.org")
    finally:
        os.environ.pop("DJANGO_SUPERUSER_PASSWORD")
        os.environ.pop("DJANGO_SUPERUSER_USERNAME")
    root = User.objects.get(username="root2")
    assert root.role == Role.SYSTEM_ADMIN and root.sees_everything


def test_the_console_script_is_django_manage(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fangkong", "help", "load-areas"],
        capture_output=True,
        text=True,
        env={**os.environ, "FANGKONG_DEBUG": "true", "FANGKONG_VAR_DIR": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "county_code" in result.stdout
