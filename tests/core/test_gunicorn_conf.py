"""gunicorn's settings for the web service (fangkong.gunicorn_conf), as gunicorn reads them."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest
from gunicorn.app.wsgiapp import WSGIApplication

from fangkong import gunicorn_conf

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def _gunicorn(monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    argv = ["gunicorn", "-c", "python:fangkong.gunicorn_conf", *args, "fangkong.wsgi:application"]
    monkeypatch.setattr("sys.argv", argv)
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


@pytest.fixture(autouse=True)
def _fresh_module(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    importlib.reload(gunicorn_conf)
    yield
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    importlib.reload(gunicorn_conf)


def test_two_sync_workers_per_core_and_one_and_rare_restarts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)  # 2 cores
    importlib.reload(gunicorn_conf)
    cfg = _gunicorn(monkeypatch)
    assert cfg.worker_class_str == "sync"
    assert cfg.workers == 5
    # A worker costs ~0.6 s of CPU to start; at the gates' rush it serves hundreds a second.
    assert cfg.max_requests >= 50_000
    assert 0 < cfg.max_requests_jitter < cfg.max_requests
    assert cfg.timeout == 120


def test_the_command_line_and_web_concurrency_take_precedence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _gunicorn(monkeypatch, "-w", "3").workers == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    importlib.reload(gunicorn_conf)
    assert _gunicorn(monkeypatch).workers == 7


def test_the_deploy_guide_runs_gunicorn_with_these_settings() -> None:
    guide = DEPLOY.read_text()
    assert "gunicorn -c python:fangkong.gunicorn_conf" in guide
    assert "--max-requests" not in guide and "--workers" not in guide  # one place for them
