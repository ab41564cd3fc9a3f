"""`fangkong daily [--date D] [--dry-run]`: every module's daily steps (fangkong.core.modules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fangkong.core.modules import daily_steps
from fangkong.site.services import daily_run


class Command(BaseCommand):
    help = (
        "The daily jobs for a date (default today, Asia/Shanghai): raise call tasks for the "
        "reports missed the day before, release observations whose last day has passed, "
        "expire passes past their end date, make the day before's figures final, and "
        "whatever other modules add as daily steps. Idempotent: running it twice, or "
        "for a past date to catch up a missed day, does nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to run for, YYYY-MM-DD (default today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be done, change nothing"
        )
        parser.add_argument(
            "--allow-future",
            action="store_true",
            help="accept a --date after today (a rehearsal on a copy of the database: it "
            "releases observations and raises call tasks for days that have not happened)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["date"]:
            try:
                on = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date: “{options['date']}” is not a date (YYYY-MM-DD)"
                ) from None
        today = timezone.localdate()
        if on > today and not options["allow_future"]:
            raise CommandError(
                f"--date: {on} is after today ({today}); the daily jobs of a day that has not "
                "happened would release observations and raise call tasks early. Use "
                "--allow-future only to rehearse on a copy of the database."
            )
        result = daily_run(on=on, dry_run=options["dry_run"])
        verbosity = options["verbosity"]
        if verbosity < 1:
            return
        head = f"{on} 每日任务" + ("（试运行，未作修改）" if result.dry_run else "")
        self.stdout.write(head)
        labels = {step.name: step.label for step in daily_steps()}
        for name, count in result.counts.items():
            line = f"  {labels[name]}: {count}"
            if verbosity >= 2:
                line += f"（{result.seconds[name]:.2f} 秒）"
            self.stdout.write(line)
