"""`fangkong daily` on 1,000,000 active observations against one full scan of the table.

PostgreSQL only (skipped with a message on SQLite). Builds, with INSERT … SELECT over
generate_series, a synthetic street of 100 communities, 1,000,000 minimal people and one
active observation each, arrivals spread evenly over the 14 days before the run date
(so about 1/14 end the day before and are released), and yesterday's two reports for
95 % of them (the rest become call tasks). Then, in the same run:

- one full sequential scan of the observations table (`SELECT count(*)` with index scans
  switched off), warm, median of 5;
- `daily_run(on=…)` — the call-task INSERT … SELECT and the release UPDATE with its
  event INSERT — and a second run, which must do nothing (idempotent);
- the worst case: the same day again with nobody having reported (2 call tasks per
  observation).

The benchmark owns the arrivals tables of the bench database: it empties them (TRUNCATE)
before building. Size: BENCH_OBSERVATIONS (1000000).
"""

# Table names below come from model metadata; values are bound (bench/ allows S608).

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any

DISTRICT, STREET = "971000", "971000001"
COMMUNITIES = 100
ON = dt.date(2020, 3, 15)  # the run date: the 2020 policy (14 days) is in force
REPORTED_SHARE = 0.95
LIMIT_SECONDS = 60.0


def _tables() -> dict[str, str]:
    from fangkong.arrivals.models import (
        Alert,
        CallTask,
        HealthReport,
        Observation,
        ObservationEvent,
    )
    from fangkong.registry.models import Person

    return {
        "person": Person._meta.db_table,
        "observation": Observation._meta.db_table,
        "event": ObservationEvent._meta.db_table,
        "report": HealthReport._meta.db_table,
        "task": CallTask._meta.db_table,
        "alert": Alert._meta.db_table,
    }


def build_tree() -> list[int]:
    from django.db import transaction

    from fangkong.areas.models import Area, AreaKind
    from fangkong.areas.services import area_create

    codes = [f"{STREET}{c:03d}" for c in range(1, COMMUNITIES + 1)]
    if not Area.objects.filter(code=codes[-1]).exists():
        with transaction.atomic():
            district = Area.objects.filter(code=DISTRICT).first() or area_create(
                code=DISTRICT, name="观察基准区", kind=AreaKind.DISTRICT, parent=None, is_demo=True
            )
            street = Area.objects.filter(code=STREET).first() or area_create(
                code=STREET,
                name="观察基准街道",
                kind=AreaKind.STREET,
                parent=district,
                is_demo=True,
            )
            for i, code in enumerate(codes, 1):
                if not Area.objects.filter(code=code).exists():
                    area_create(
                        code=code,
                        name=f"观察基准社区{i}",
                        kind=AreaKind.COMMUNITY,
                        parent=street,
                        is_demo=True,
                    )
    return list(Area.objects.filter(code__in=codes).order_by("code").values_list("id", flat=True))


def timed(cursor: Any, sql: str, params: list[Any] | None = None) -> float:
    start = time.perf_counter()
    cursor.execute(sql, params or [])
    return time.perf_counter() - start


def build_people(cursor: Any, t: dict[str, str], area_ids: list[int], n: int) -> float:
    """Minimal people rows in the bench communities (kept between runs)."""
    cursor.execute(f"SELECT count(*) FROM {t['person']} WHERE area_id = ANY(%s)", [area_ids])
    have = cursor.fetchone()[0]
    if have >= n:
        return 0.0
    return timed(
        cursor,
        f"""INSERT INTO {t["person"]} (area_id, name, document_type, document_masked,
                phone_masked, sex, residency, whereabouts, away_from, created_at, updated_at)
            SELECT (%s::bigint[])[1 + g %% %s], '观察' || g, 'resident_id', '', '',
                   'unknown', 'registered', 'in_beijing', '', now(), now()
            FROM generate_series(%s, %s) g""",
        [area_ids, len(area_ids), have + 1, n],
    )


def build_observations(cursor: Any, t: dict[str, str], area_ids: list[int], n: int) -> float:
    """One active observation per bench person; arrivals spread over ON-14 … ON-1."""
    from fangkong.policy.services import policy_seed_2020

    policy = policy_seed_2020()
    cursor.execute(
        f"TRUNCATE {t['alert']}, {t['task']}, {t['report']}, {t['event']}, {t['observation']}"
    )
    return timed(
        cursor,
        f"""INSERT INTO {t["observation"]} (person_id, area_id, mode, policy_id, arrived_on,
                days, last_day, status, created_at)
            SELECT p.id, p.area_id, 'home', %s, a.arrived_on, 14, a.arrived_on + 13,
                   'active', now()
            FROM (SELECT id, area_id, row_number() OVER (ORDER BY id) AS k
                  FROM {t["person"]} WHERE area_id = ANY(%s) ORDER BY id LIMIT %s) p
            CROSS JOIN LATERAL (SELECT %s::date - 14 + (p.k %% 14)::int AS arrived_on) a""",
        [policy.pk, area_ids, n, ON],
    )


def build_reports(cursor: Any, t: dict[str, str]) -> float:
    """Yesterday's reports (both owed slots) for REPORTED_SHARE of the observations."""
    yesterday = ON - dt.timedelta(days=1)
    cursor.execute(f"DELETE FROM {t['report']}")
    return timed(
        cursor,
        f"""INSERT INTO {t["report"]} (observation_id, "on", slot, temperature, symptoms,
                by_self, created_at)
            SELECT o.id, %s, s.slot, 36.5, '[]'::jsonb, true, now()
            FROM {t["observation"]} o
            CROSS JOIN (VALUES ('morning'), ('evening')) s(slot)
            WHERE o.arrived_on <= %s AND o.last_day >= %s
              AND NOT (o.arrived_on = %s AND s.slot = 'morning')
              AND (o.id %% 100) < %s""",
        [yesterday, yesterday, yesterday, yesterday, int(REPORTED_SHARE * 100)],
    )


def full_scan(t: dict[str, str]) -> float:
    from django.db import connection, transaction

    def once() -> float:
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
            start = time.perf_counter()
            cursor.execute(f"SELECT count(*) FROM {t['observation']}")
            cursor.fetchone()
            return time.perf_counter() - start

    once()
    return statistics.median(once() for _ in range(5))


def vacuum(cursor: Any, t: dict[str, str]) -> None:
    for name in ("observation", "report", "task", "event"):
        cursor.execute(f"VACUUM ANALYZE {t[name]}")


def reset_day(cursor: Any, t: dict[str, str]) -> None:
    """Undo one daily run: reopen what it released, drop its events and tasks."""
    cursor.execute(f"DELETE FROM {t['task']}")
    cursor.execute(f"DELETE FROM {t['event']}")
    cursor.execute(
        f"UPDATE {t['observation']} SET status = 'active', ended_on = NULL "
        "WHERE status = 'released'"
    )


def show_run(label: str, result: Any, total: float, scan: float) -> None:
    steps = ", ".join(
        f"{name} {result.counts[name]:,} in {result.seconds[name]:.2f} s" for name in result.counts
    )
    verdict = "within" if total <= LIMIT_SECONDS else "OVER"
    print(
        f"  {label}: {total:.2f} s ({steps}); {total / scan:.1f}x one full scan; "
        f"{verdict} the {LIMIT_SECONDS:.0f} s target"
    )


def run() -> None:
    from django.db import connection

    from fangkong.arrivals.module import MODULE
    from fangkong.site.services import daily_run

    # The arrivals module's steps (call tasks, release); the figures step is measured by
    # bench/reports_daily.py.
    steps = [step.name for step in MODULE.daily_steps]

    if connection.vendor != "postgresql":
        print(
            "  skipped: needs PostgreSQL "
            "(FANGKONG_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fangkong_bench)"
        )
        return
    n = int(os.environ.get("BENCH_OBSERVATIONS", "1000000"))
    t = _tables()
    area_ids = build_tree()
    with connection.cursor() as cursor:
        people = build_people(cursor, t, area_ids, n)
        made = build_observations(cursor, t, area_ids, n)
        reports = build_reports(cursor, t)
        vacuum(cursor, t)
        cursor.execute(f"SELECT count(*) FROM {t['report']}")
        report_rows = cursor.fetchone()[0]
        cursor.execute(f"SELECT pg_size_pretty(pg_table_size('{t['observation']}'))")
        size = cursor.fetchone()[0]
    print(
        f"  built {n:,} active observations ({size}) in {made:.1f} s, {report_rows:,} reports "
        f"for yesterday in {reports:.1f} s" + (f", people in {people:.1f} s" if people else "")
    )

    scan = full_scan(t)
    print(f"  full scan of the observations table (seq scan, count(*)): {scan:.3f} s")

    start = time.perf_counter()
    first = daily_run(on=ON, only=steps)
    show_run(f"daily_run(on={ON})", first, time.perf_counter() - start, scan)
    start = time.perf_counter()
    again = daily_run(on=ON, only=steps)
    show_run("the same day again (idempotent)", again, time.perf_counter() - start, scan)
    assert sum(again.counts.values()) == 0, again.counts

    with connection.cursor() as cursor:
        reset_day(cursor, t)
        cursor.execute(f"TRUNCATE {t['alert']}, {t['report']}")
        vacuum(cursor, t)
    start = time.perf_counter()
    worst = daily_run(on=ON, only=steps)
    show_run("worst case, nobody reported yesterday", worst, time.perf_counter() - start, scan)
