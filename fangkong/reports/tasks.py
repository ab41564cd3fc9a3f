"""Background work for the figures: Celery beat refreshes today's every five minutes
(settings.CELERY_BEAT_SCHEDULE), so pages read them without waiting for a build."""

from __future__ import annotations

from django.utils import timezone

from fangkong.celery import app
from fangkong.reports.services import build_day


@app.task(name="reports.refresh_today")
def refresh_today() -> int:
    """Rebuild today's figures from the records; returns the number of area rows."""
    return build_day(timezone.localdate()).areas
