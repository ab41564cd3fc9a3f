"""`make bench`: benchmarks that print ratios measured side by side in one run.

The database is FANGKONG_BENCH_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/
fangkong_bench, created if missing) or a throw-away SQLite file. Pick benchmarks by name:
`python -m bench areas`.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile

BENCHMARKS = [
    "areas",
    "registry_import",
    "gate_check",
    "arrivals_daily",
    "reports_daily",
    "duty_coverage",
    "party_donations",
]


def setup_django() -> None:
    var = tempfile.mkdtemp(prefix="fangkong-bench-")
    os.environ.setdefault("FANGKONG_VAR_DIR", var)
    os.environ.setdefault("FANGKONG_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    url = os.environ.get("FANGKONG_BENCH_DATABASE_URL")
    if url:
        os.environ["FANGKONG_DATABASE_URL"] = url
        _ensure_postgres_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    setup_django()
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n== {name}: {module.__doc__.strip().splitlines()[0]}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
