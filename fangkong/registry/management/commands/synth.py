"""`fangkong synth --people N [--communities M] [--seed S] [--district 990106] [--clear]`:
district-scale synthetic registry data for benchmarks (fangkong.registry.synth)."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fangkong.registry.synth.builder import (
    PEOPLE_PER_COMMUNITY,
    SynthError,
    default_communities,
    synth_district,
)
from fangkong.registry.synth.tree import COMMUNITIES_PER_STREET, ZONE_NAMES

DISTRICT_RE = re.compile(r"^99[0-9]{4}$")


class Command(BaseCommand):
    help = (
        "District-scale synthetic registry data for benchmarks: a synthetic district "
        "(code 99xxxx) with streets, communities and zones, and N people with addresses and "
        "residences. COPY on PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="how many people to add")
        parser.add_argument(
            "--communities",
            type=int,
            default=None,
            help=f"communities (default: one per {PEOPLE_PER_COMMUNITY:,} people)",
        )
        parser.add_argument("--zones", type=int, default=3, help="zones per community (1–5)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--district", default="990106", help="synthetic district code: 99 and four digits"
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="first remove the district's people, residences and addresses (the tree stays)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="generator processes (default: CPUs − 1 for large runs)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people: int = options["people"]
        district: str = options["district"]
        zones_per: int = options["zones"]
        if people < 0:
            raise CommandError("--people must not be negative")
        if not DISTRICT_RE.match(district):
            raise CommandError("--district must be 99 followed by four digits, e.g. 990106")
        if not 1 <= zones_per <= len(ZONE_NAMES):
            raise CommandError(f"--zones must be 1–{len(ZONE_NAMES)}")
        communities = options["communities"] or default_communities(people)
        most = 999 * COMMUNITIES_PER_STREET  # three-digit street codes
        if not 1 <= communities <= most:
            raise CommandError(f"--communities must be 1 to {most:,}")
        try:
            result = synth_district(
                district=district,
                people=people,
                communities=communities,
                zones_per=zones_per,
                seed=options["seed"],
                clear=options["clear"],
                workers=options["workers"],
                log=self._log,
            )
        except SynthError as exc:
            raise CommandError(str(exc)) from exc
        if result is None:
            return
        loaded = result.loaded_seconds
        self.stdout.write(
            self.style.SUCCESS(
                f"synth: {people:,} people, their residences and {result.households:,} addresses "
                f"written in {loaded:,.1f} s ({people / max(loaded, 1e-6):,.0f} people/s), "
                f"{result.total_seconds:,.1f} s in all"
            )
        )
        self.stdout.write(
            "  database time: "
            + ", ".join(f"{table} {seconds:,.1f} s" for table, seconds in result.spent.items())
        )

    def _log(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
