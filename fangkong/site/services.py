"""The daily jobs of every module, run by `fangkong daily` and by Celery beat."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from fangkong.core.modules import daily_steps, resolve


@dataclass
class DailyResult:
    on: dt.date
    dry_run: bool
    counts: dict[str, int]
    seconds: dict[str, float]


def daily_run(
    *, on: dt.date, dry_run: bool = False, only: Iterable[str] | None = None
) -> DailyResult:
    """Run the modules' daily steps for date `on` (normally today, just after midnight), in
    their order, each in its own transaction. Running it twice, or late, changes nothing
    more; a missed day is caught up by running it with that day's date. `only` names the
    steps to run (all by default)."""
    wanted = set(only) if only is not None else None
    counts: dict[str, int] = {}
    seconds: dict[str, float] = {}
    for step in daily_steps():
        if wanted is not None and step.name not in wanted:
            continue
        started = time.perf_counter()
        with transaction.atomic():
            counts[step.name] = resolve(step.run)(on=on, dry_run=dry_run)
        seconds[step.name] = time.perf_counter() - started
    return DailyResult(on=on, dry_run=dry_run, counts=counts, seconds=seconds)
