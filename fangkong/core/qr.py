"""QR codes as inline SVG (segno), for pass cards, public links and self-report sheets."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, scale: int = 4, border: int = 2) -> SafeString:
    """An inline SVG of `text`. segno writes the SVG itself and escapes nothing user-typed
    into markup: the text only decides which modules are dark."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=scale, border=border))  # noqa: S308
