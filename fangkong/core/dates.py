"""Local days: their bounds in time, and days read from requests.

Every page and API reads a day from a query string through `parse_day`, with one
behaviour: empty means the default (today); anything else that is not a day the system can
hold is a 400 naming the parameter (pages: core.middleware; API: core.api)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any
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


# --- dates as people type them in forms and sheets -----------------------------------------
# 2020-02-03, 2020/2/3, 2020.2.3, 2020年2月3日, ２０２０－０２－０３ (full width), 20200203.
_TYPED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Excel counts days from 1899-12-30 (its 1900 system, the 1900-02-29 it invented included).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Nobody alive was born, and nobody moved in, before this.
EARLIEST_TYPED = dt.date(1900, 1, 1)


def excel_serial_date(serial: float) -> dt.date | None:
    """A day number from a cell formatted as a number (43864 → 2020-02-03); None when it
    is not a whole day after 1900-01-01."""
    if serial != int(serial) or not 1 <= serial <= 2958465:
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def typed_date(value: Any, *, today: dt.date) -> dt.date | str:
    """A day as a person typed it — a date cell, an Excel serial number, or text in any
    of the forms above, full-width digits included — or the reason it is refused (in
    Chinese). Cells and text meet the same rule: not before 1900, not after today."""
    if isinstance(value, dt.datetime):
        day: dt.date | None = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        day = excel_serial_date(value)
    else:
        day = _typed_text(str(value))
    if day is None:
        return f"日期“{str(value).strip()}”不存在或格式不对，应为 年-月-日，如 2020-02-03"
    if day > today:
        return f"日期 {day} 晚于今天"
    if day < EARLIEST_TYPED:
        return f"日期 {day} 早于 {EARLIEST_TYPED}"
    return day


def _typed_text(raw: str) -> dt.date | None:
    text = unicodedata.normalize("NFKC", raw).strip()
    found = _TYPED.fullmatch(text) or _COMPACT.fullmatch(text)
    if found is None:
        if text.isdigit() and len(text) <= 5:  # a serial number typed or pasted as text
            return excel_serial_date(int(text))
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None
