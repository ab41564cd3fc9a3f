from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fangkong.access.demo import load_demo_access
from fangkong.accounts.demo import load_demo_accounts
from fangkong.areas.demo import load_demo_areas
from fangkong.arrivals.demo import load_demo_arrivals
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.demo import load_demo_registry


class Command(BaseCommand):
    help = (
        "The embedded demo: migrate the SQLite database under var/, load the Fengtai demo "
        "data (idempotent), print the demo accounts, and serve http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load data and exit")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        areas = load_demo_areas()
        policy = policy_seed_2020()
        accounts = load_demo_accounts()
        registry = load_demo_registry()
        arrivals = load_demo_arrivals()
        access = load_demo_access()
        self.stdout.write(
            self.style.SUCCESS(
                f"demo data: {len(areas)} areas of 丰台区 (2020), policy “{policy.label}”"
            )
        )
        self.stdout.write(self.style.SUCCESS(registry.summary()))
        self.stdout.write(self.style.SUCCESS(arrivals.summary()))
        self.stdout.write(self.style.SUCCESS(access.summary()))
        self.stdout.write("demo accounts (new passwords on every run):")
        width = max(len(user.username) for user, _ in accounts)
        lines = []
        for user, password in accounts:
            where = user.area.name if user.area else "全部辖区"
            line = f"  {user.username:<{width}}  {password}  {user.get_role_display()} · {where}"
            lines.append(line)
            self.stdout.write(line)
        accounts_file = settings.VAR_DIR / "demo-accounts.txt"
        accounts_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        accounts_file.chmod(0o600)
        self.stdout.write(f"(also written to {accounts_file})")
        if options["no_serve"]:
            return
        self.stdout.write(
            self.style.SUCCESS(f"serving http://127.0.0.1:{options['port']}/ — Ctrl-C to stop")
        )
        call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
