"""The only code that writes the daily figures' rollup rows (fangkong.reports.models)."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fangkong.core.dates import day_bounds
from fangkong.reports.figures import count_day
from fangkong.reports.models import DailyFigures, DayBuild


def build_day(on: dt.date, *, now: dt.datetime | None = None) -> DayBuild:
    """Replace the rows of `on` with figures derived from the records, in one transaction.
    Two builds of one day at once run one after the other (the DayBuild row is locked)."""
    now = now or timezone.now()
    if on > timezone.localdate(now):
        raise ValueError(f"{on} is in the future")
    started = time.perf_counter()
    with transaction.atomic():
        DayBuild.objects.get_or_create(on=on, defaults={"built_at": now})
        build = DayBuild.objects.select_for_update().get(on=on)
        rows = count_day(on)
        DailyFigures.objects.filter(on=on).delete()
        DailyFigures.objects.bulk_create(
            (DailyFigures(area_id=area_id, on=on, **values) for area_id, values in rows.items()),
            batch_size=1000,
        )
        build.built_at = now
        build.final = now >= day_bounds(on)[1]
        build.areas = len(rows)
        build.seconds = time.perf_counter() - started
        build.save()
    return build


def ensure_day(on: dt.date) -> DayBuild:
    """The build of `on` to read from: a final build as it is; today's provisional build
    while it is fresher than FANGKONG_REPORTS_MAX_AGE seconds; otherwise build now (a day
    the nightly job missed is rebuilt from the records here)."""
    build = DayBuild.objects.filter(on=on).first()
    now = timezone.now()
    if build is not None and (
        build.final or (now - build.built_at).total_seconds() < settings.REPORTS_MAX_AGE
    ):
        return build
    return build_day(on, now=now)


def daily_snapshot(*, on: dt.date, dry_run: bool = False) -> int:
    """The `fangkong daily` step: make the day before `on` final and start `on`'s figures.
    Returns the number of area rows written."""
    if dry_run:
        return len(count_day(on)) if on <= timezone.localdate() else 0
    yesterday = on - dt.timedelta(days=1)
    written = 0
    done = DayBuild.objects.filter(on=yesterday, final=True).exists()
    if not done and yesterday <= timezone.localdate():
        written += build_day(yesterday).areas
    if on <= timezone.localdate():
        written += build_day(on).areas
    return written
