"""Background work for returnees. Tasks only call services.

Celery beat runs `arrivals.daily` once a day just after midnight, e.g.
CELERY_BEAT_SCHEDULE = {"arrivals-daily": {"task": "arrivals.daily",
"schedule": crontab(hour=0, minute=10)}}."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.arrivals.observation import daily_run
from fangkong.celery import app


@app.task(name="arrivals.daily")
def daily_task(on: str | None = None) -> dict[str, int]:
    """The daily jobs for `on` (YYYY-MM-DD; default today in Asia/Shanghai)."""
    day = dt.date.fromisoformat(on) if on else timezone.localdate()
    return daily_run(on=day).counts
