from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from fangkong.core.env import env_bool, env_int, env_list


def test_an_empty_value_means_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "")
    monkeypatch.setenv("X_INT", "")
    assert env_bool("X_BOOL", True) is True
    assert env_int("X_INT", 7) == 7


def test_bad_values_fail_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "3.5")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env_int("X_INT", 1)


def test_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_LIST", " a.org , b.org ,")
    assert env_list("X_LIST", []) == ["a.org", "b.org"]
