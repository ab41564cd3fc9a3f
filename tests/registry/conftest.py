"""Registry test helpers. The `celery` marker is registered here (not in pyproject):
tests that start a real Celery worker against Redis."""

from __future__ import annotations

from typing import Any


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers",
        "celery: starts a real Celery worker subprocess against Redis (FANGKONG_REDIS_URL, "
        "default redis://127.0.0.1:6379); skipped without Redis unless CI is set",
    )
