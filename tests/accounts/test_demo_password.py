"""Demo passwords are random; a draw that Django's similarity check would refuse for the
account is drawn again instead of failing the demo."""

from __future__ import annotations

from typing import Any

import pytest

from fangkong.accounts import demo


def test_a_draw_too_like_the_user_name_is_drawn_again(monkeypatch: Any) -> None:
    draws = iter(["nanfangzhuang_treasurer1", "Q7vX2mKp9wLr4TzB8c"])
    monkeypatch.setattr(demo.secrets, "token_urlsafe", lambda n: next(draws))
    assert demo.demo_password("nanfangzhuang_treasurer", "南方庄社区党委") == "Q7vX2mKp9wLr4TzB8c"


@pytest.mark.django_db
def test_every_demo_account_gets_a_valid_password() -> None:
    for username, _role, _code, display in demo.DEMO_ACCOUNTS:
        assert len(demo.demo_password(username, display)) >= 12
