"""Body temperatures as people type them, one parser for every form and API (the gate
check, the visitor page, health reports)."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from fangkong.core.errors import invalid

TEMPERATURE_MIN = Decimal("34.0")
TEMPERATURE_MAX = Decimal("42.0")

# A phone keyboard gives "36.5", "36,5" (a comma keyboard), "36。5" or "36，5" (a Chinese one)
# and full-width digits; NFKC folds the full-width forms (，→ ,), these marks become a point.
DECIMAL_MARKS = str.maketrans({",": ".", "。": "."})


def parse_temperature(value: Any) -> Decimal:
    """A temperature from a form, JSON or a phone keyboard: 37.5, "37.5", "３７.５℃",
    "37,5" → Decimal("37.5"); anything not a plausible body temperature is refused."""
    if isinstance(value, bool) or value is None:
        raise invalid("temperature", _("请填写体温，如 36.5"), "required")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for unit in ("°C", "℃", "°", "C", "c"):
        text = text.removesuffix(unit).strip()
    text = text.translate(DECIMAL_MARKS)
    if not text:
        raise invalid("temperature", _("请填写体温，如 36.5"), "required")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise invalid(
            "temperature", _("体温“%(value)s”不是数字，请填写如 36.5") % {"value": value}, "invalid"
        ) from None
    if not number.is_finite():
        raise invalid(
            "temperature", _("体温“%(value)s”不是数字，请填写如 36.5") % {"value": value}, "invalid"
        )
    try:
        number = number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than tenths can carry: 1e999
        raise invalid(
            "temperature",
            _("体温“%(value)s”不在 %(low)s–%(high)s°C 之间，请重新测量后填写")
            % {
                "value": value,
                "low": TEMPERATURE_MIN,
                "high": TEMPERATURE_MAX,
            },
            "out_of_range",
        ) from None
    if not TEMPERATURE_MIN <= number <= TEMPERATURE_MAX:
        raise invalid(
            "temperature",
            _("体温 %(number)s°C 不在 %(low)s–%(high)s°C 之间，请重新测量后填写")
            % {
                "number": number,
                "low": TEMPERATURE_MIN,
                "high": TEMPERATURE_MAX,
            },
            "out_of_range",
        )
    return number
