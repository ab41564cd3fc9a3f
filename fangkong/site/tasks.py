"""Background work that spans the modules. Tasks only call services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from fangkong.site.services import daily_run


@shared_task(name="site.daily")
def daily_task(on: str | None = None) -> dict[str, int]:
    """The daily jobs for `on` (YYYY-MM-DD; default today in Asia/Shanghai)."""
    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    return daily_run(on=day).counts
