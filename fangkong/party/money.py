"""Amounts of money as people and programs give them: yuan, exact to the fen, never a
float. The API takes strings only ("15354.97"); forms and sheets give text too."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from fangkong.core.errors import invalid

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")
# Digits, an optional point and at most two decimals: no sign, no exponent, no spaces
# inside, no thousands separators ("1e2", "12.345", "-5", "1,000" are refused).
_AMOUNT = re.compile(r"(?:0|[1-9]\d{0,9})(?:\.\d{1,2})?")


def parse_amount(value: Any, field: str = "amount", *, allow_zero: bool = False) -> Decimal:
    """A positive amount in yuan from a string, exact to the fen; a ValidationError naming
    `field` otherwise. A float (a JSON number with a point) is refused: it may already
    have lost the fen. A Decimal passes through the same rule."""
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, str):
        text = value.strip().replace("，", ",")
        text = text[:-1] if text.endswith("元") else text
    else:
        raise invalid(
            field,
            _('金额请写成文本，如 "100" 或 "15354.97"（不接受数字类型，以免丢失分）'),
            "not_a_string",
        )
    if not _AMOUNT.fullmatch(text):
        raise invalid(
            field,
            _("“%(value)s”不是有效金额：只写数字，最多两位小数，如 100 或 88.88")
            % {"value": str(value)[:30]},
            "invalid",
        )
    amount = Decimal(text).quantize(FEN)
    if amount > MAX_AMOUNT:
        raise invalid(field, _("金额过大"), "too_large")
    if amount == 0 and not allow_zero:
        raise invalid(field, _("金额必须大于 0"), "not_positive")
    return amount


def yuan(amount: Decimal | None) -> str:
    """An amount as the API writes it: "15354.97", always two decimals."""
    return format((amount or Decimal(0)).quantize(FEN), "f")


def fen_text(fen: int | None) -> str:
    """Whole fen as the API writes yuan ("15354.97"), without going through Decimal: a
    district's reconciliation writes tens of thousands of them."""
    fen = fen or 0
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"
