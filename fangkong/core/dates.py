"""Local days: their bounds in time, and days read from requests.

Every page and API reads a day from a query string through `parse_day`, with one
behaviour: empty means the default (today); anything else that is not a day the system can
hold is a 400 naming the parameter (pages: core.middleware; API: core.api)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from fangkong.core.errors import invalid

# Nothing is dated before or after these; a day outside them has no bounds worth asking for.
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of `day` (Asia/Shanghai) and of the day after."""
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def parse_day(
    value: str | None,
    *,
    field: str = "date",
    default: dt.date | None = None,
    allow_future: bool = True,
) -> dt.date:
    """A YYYY-MM-DD day from a query string; empty gives `default` (today)."""
    today = timezone.localdate()
    if value is None or not value.strip():
        return default or today
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise invalid(
            field,
            f"“{value}”不是有效日期（格式不对或没有这一天），请按 年-月-日 填写，如 2020-02-20",
        ) from None
    if day < EARLIEST:
        raise invalid(field, f"只能查看 {EARLIEST} 及以后的数据", "too_early")
    if not allow_future and day > today:
        raise invalid(field, f"{day} 还没有到，只能查看今天及以前的数据", "future")
    if day > LATEST:
        raise invalid(field, f"只能查看 {LATEST} 及以前的数据", "too_late")
    return day
