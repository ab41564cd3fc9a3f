"""The 工作台: every module's items for one account (fangkong.core.modules.WorkItem)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from fangkong.core.modules import WorkItem, modules, resolve

# The menu's counts are read on every page: kept this long per account.
MENU_COUNTS_SECONDS = 30


def work_items(user: Any, today: dt.date | None = None) -> list[WorkItem]:
    """Today's work of `user`, urgent first, then in the modules' order; nothing to do is
    left out."""
    today = today or timezone.localdate()
    found = [
        item
        for module in modules()
        if module.workbench
        for item in resolve(module.workbench)(user, today)
        if item.count
    ]
    return sorted(found, key=lambda item: (not item.urgent, item.order))


def menu_counts(user: Any) -> dict[str, int]:
    """URL name of a menu entry → the count of its items (cached briefly per account)."""
    key = f"fangkong:menu-counts:{user.pk}"
    counts: dict[str, int] | None = cache.get(key)
    if counts is None:
        counts = {}
        for item in work_items(user):
            if item.menu:
                counts[item.menu] = counts.get(item.menu, 0) + item.count
        cache.set(key, counts, MENU_COUNTS_SECONDS)
    return counts
