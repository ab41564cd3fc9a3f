"""Record ids typed into URLs, query strings and request bodies.

`str.isdigit()` is true for "²" and "٣", which `int()` refuses or reads as another number,
and a long enough run of digits overflows the database's 64-bit keys (SQLite raises
OverflowError, PostgreSQL "out of range"): either was a 500 before it was a 404 or a 400.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

MAX_ID = 2**63 - 1  # the largest bigint key


def is_id(text: str) -> bool:
    """Digits 0–9 only, and a value a database key can hold."""
    return text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID


def parse_id(value: Any) -> int | None:
    """The id in `value` (a query parameter, a form field), or None when it holds none."""
    text = str(value).strip() if value is not None else ""
    return int(text) if text and is_id(text) else None


def IdField(**kwargs: Any) -> serializers.IntegerField:
    """An id in a request body: refused with the field's name when out of any key's range."""
    kwargs.setdefault("min_value", 1)
    kwargs.setdefault("max_value", MAX_ID)
    return serializers.IntegerField(**kwargs)
