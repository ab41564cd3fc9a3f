"""The only code that writes the daily figures' rollup rows (fangkong.reports.models)."""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fangkong.core.dates import day_bounds
from fangkong.core.figures import Span
from fangkong.reports.figures import count_day, figure_sets
from fangkong.reports.models import DailyFigures, DayBuild, FiguresChange


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
        # Changes noted before the count are in it (the lock orders the writers' notes).
        seen = FiguresChange.objects.filter(on=on).order_by("-pk").values_list("pk", flat=True)
        last_seen = seen.first()
        rows = count_day(on)
        if last_seen is not None:
            FiguresChange.objects.filter(on=on, pk__lte=last_seen).delete()
        DailyFigures.objects.filter(on=on).delete()
        DailyFigures.objects.bulk_create(
            (DailyFigures(area_id=area_id, on=on, **values) for area_id, values in rows.items()),
            batch_size=1000,
        )
        build.built_at = now
        build.refreshed_at = now
        build.final = now >= day_bounds(on)[1]
        build.areas = len(rows)
        build.seconds = time.perf_counter() - started
        build.save()
    return build


def ensure_day(on: dt.date) -> DayBuild:
    """The build of `on` to read from: a final build as it is; today's provisional build
    while it is fresher than FANGKONG_REPORTS_MAX_AGE seconds, with the areas changed since
    recounted; otherwise build now (a day the nightly job missed is rebuilt from the
    records here). The full rebuild is the backstop for writes nothing noted."""
    build = DayBuild.objects.filter(on=on).first()
    now = timezone.now()
    if build is not None and build.final:
        return build
    if build is not None and (now - build.built_at).total_seconds() < settings.REPORTS_MAX_AGE:
        return refresh_changes(on, now=now)
    return build_day(on, now=now)


# A gate check logged just before a recount may commit just after it: look back this far.
CHECK_SLACK = dt.timedelta(seconds=60)


def refresh_changes(on: dt.date, *, now: dt.datetime | None = None) -> DayBuild:
    """Recount the areas whose records changed since the day's rows were last brought up
    to date, and replace only their rows: seconds-fresh figures without rebuilding the
    district (a few queries per changed area)."""
    now = now or timezone.now()
    with transaction.atomic():
        build = DayBuild.objects.select_for_update().get(on=on)
        if build.final:
            return build
        changes = list(FiguresChange.objects.filter(on=on).values_list("pk", "area_id"))
        areas = {area_id for _pk, area_id in changes}
        since = (build.refreshed_at or build.built_at) - CHECK_SLACK
        start, end = day_bounds(on)
        span = Span(on, start, end)
        for figure_set in figure_sets():
            if figure_set.touched is not None:
                areas |= figure_set.touched(span, since)
        if areas:
            rows = count_day(on, areas)
            DailyFigures.objects.filter(on=on, area_id__in=areas).delete()
            DailyFigures.objects.bulk_create(
                DailyFigures(area_id=area_id, on=on, **values) for area_id, values in rows.items()
            )
        if changes:
            FiguresChange.objects.filter(on=on, pk__lte=max(pk for pk, _ in changes)).delete()
        build.refreshed_at = now
        build.save(update_fields=["refreshed_at"])
    return build


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
