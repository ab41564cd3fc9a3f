from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fangkong.core.modules import modules, resolve


class Command(BaseCommand):
    help = (
        "The embedded demo: migrate the SQLite database under var/, load every module's "
        "Fengtai demo data (idempotent), print the demo accounts, and serve "
        "http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load data and exit")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaders = sorted((m for m in modules() if m.demo), key=lambda m: m.demo_order)
        for module in loaders:
            summary = resolve(module.demo)()  # type: ignore[arg-type]
            self.stdout.write(self.style.SUCCESS(summary))
        if options["no_serve"]:
            return
        self.stdout.write(
            self.style.SUCCESS(f"serving http://127.0.0.1:{options['port']}/ — Ctrl-C to stop")
        )
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
