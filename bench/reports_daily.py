"""The district's daily figures and a 30-day trend, read from the rollup, against counting
the same day straight from the records.

PostgreSQL only. Data: the gate benchmark's synthetic district (2,000,000 people from
`fangkong synth`, 500,000 passes, 10,000,000 gate checks over the last 30 days; built here
if missing, only the shortfall; people and passes moved 60 days back, so every day of the
trend holds the whole district), plus BENCH_OBSERVATIONS (200,000) observations of its
people with day 1 spread over the last 30 days (80 % home, 15 % unit, 5 % site; finished
ones released), a fever alert for 1 % and a call task for 5 % of them.

The benchmark owns the reports tables: it empties them, then builds the 30 days
(`build_day`, timed: the nightly cost), and in the same run measures warm, median of 7:

- `day_figures(district, today)` — the dashboard's and the API's read: the subtree's rows
  of the day with the children, plus the day before for the change (target ≤ 200 ms);
- `trend(district, 30 days)` — one grouped query over the rows (target ≤ 1 s);
- `count_day(today)` — the same day's figures counted from the records (what every read
  would cost without the rollup), side by side, as a ratio.

Then freshness, side by side in the same run: a person is registered in one community and
the district's figures for today are read at once — they must already include the change,
within the same 200 ms, because reading recounts only the area that changed
(reports.services.refresh_changes) — against rebuilding the whole day (`build_day`).

The query plans of the two reads are printed (EXPLAIN ANALYZE, top lines).
"""

# Table names below come from model metadata; values are bound (bench/ allows S608).

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any

from bench import gate_check

DAY_TARGET, TREND_TARGET = 0.200, 1.0


def _tables() -> dict[str, str]:
    from fangkong.access.models import Pass
    from fangkong.arrivals.models import Alert, CallTask, Observation
    from fangkong.registry.models import Person
    from fangkong.reports.models import DailyFigures, DayBuild

    return {
        "person": Person._meta.db_table,
        "pass": Pass._meta.db_table,
        "observation": Observation._meta.db_table,
        "alert": Alert._meta.db_table,
        "task": CallTask._meta.db_table,
        "figures": DailyFigures._meta.db_table,
        "build": DayBuild._meta.db_table,
    }


def ensure_gate_data() -> Any:
    """People, passes and checks of the gate benchmark (built only where short)."""
    from django.db import connection

    district = gate_check.ensure_people()
    guard, gate_ids = gate_check.ensure_post(district)
    t = gate_check._tables()
    with connection.cursor() as cursor:
        gate_check.ensure_passes(cursor, t, district)
        gate_check.ensure_checks(cursor, t, gate_ids, guard.pk)
    return district


def backdate(cursor: Any, t: dict[str, str], district: Any) -> None:
    """`synth` writes people (and the gate benchmark passes) with today's time; move them
    60 days back, so that every day of the trend has the whole district's rows."""
    started = time.perf_counter()
    moved = 0
    for table, column in ((t["person"], "created_at"), (t["pass"], "issued_at")):
        cursor.execute(
            f"""UPDATE {table} SET {column} = {column} - interval '60 days'
                WHERE {column} > now() - interval '45 days'
                  AND area_id IN (SELECT id FROM areas_area WHERE path LIKE %s)""",
            [district.path + "%"],
        )
        moved += cursor.rowcount
        if cursor.rowcount:
            cursor.execute(f"VACUUM ANALYZE {table}")
    if moved:
        print(f"  backdated {moved:,} people and passes in {time.perf_counter() - started:.1f} s")


def ensure_observations(cursor: Any, t: dict[str, str], district: Any, n: int) -> None:
    from django.utils import timezone

    from fangkong.policy.services import policy_seed_2020

    cursor.execute(
        f"""SELECT count(*) FROM {t["observation"]} o JOIN areas_area a ON a.id = o.area_id
            WHERE a.path LIKE %s""",
        [district.path + "%"],
    )
    have = cursor.fetchone()[0]
    if have >= n:
        print(f"  observations: {have:,} in {district.code}")
        return
    policy = policy_seed_2020()
    today = timezone.localdate()
    started = time.perf_counter()
    cursor.execute(
        f"""DELETE FROM {t["alert"]} WHERE area_id IN
                (SELECT id FROM areas_area WHERE path LIKE %s)""",
        [district.path + "%"],
    )
    cursor.execute(
        f"""DELETE FROM {t["task"]} WHERE observation_id IN
                (SELECT o.id FROM {t["observation"]} o JOIN areas_area a ON a.id = o.area_id
                 WHERE a.path LIKE %s)""",
        [district.path + "%"],
    )
    cursor.execute(
        f"""DELETE FROM {t["observation"]} WHERE area_id IN
                (SELECT id FROM areas_area WHERE path LIKE %s)""",
        [district.path + "%"],
    )
    cursor.execute(
        f"""INSERT INTO {t["observation"]} (person_id, area_id, mode, policy_id, arrived_on,
                days, last_day, status, ended_on, created_at)
            SELECT p.id, p.area_id,
                   CASE WHEN p.k %% 20 = 0 THEN 'site' WHEN p.k %% 20 < 4 THEN 'unit'
                        ELSE 'home' END,
                   %s, a.arrived_on, 14, a.arrived_on + 13,
                   CASE WHEN a.arrived_on + 13 < %s::date THEN 'released' ELSE 'active' END,
                   CASE WHEN a.arrived_on + 13 < %s::date THEN a.arrived_on + 14 END,
                   now()
            FROM (SELECT pe.id, pe.area_id, row_number() OVER (ORDER BY pe.id) AS k
                  FROM {t["person"]} pe JOIN areas_area ar ON ar.id = pe.area_id
                  WHERE ar.path LIKE %s ORDER BY pe.id LIMIT %s) p
            CROSS JOIN LATERAL (SELECT %s::date - 29 + (p.k %% 30)::int AS arrived_on) a""",
        [policy.pk, today, today, district.path + "%", n, today],
    )
    cursor.execute(
        f"""INSERT INTO {t["alert"]} (area_id, observation_id, person_id, kind, temperature,
                detail, raised_at, handling)
            SELECT o.area_id, o.id, o.person_id, 'fever', 37.8, '',
                   o.arrived_on + time '09:00' AT TIME ZONE 'Asia/Shanghai' + interval '1 day',
                   ''
            FROM {t["observation"]} o JOIN areas_area a ON a.id = o.area_id
            WHERE a.path LIKE %s AND o.id %% 100 = 0 AND o.arrived_on + 1 <= %s::date""",
        [district.path + "%", today],
    )
    cursor.execute(
        f"""INSERT INTO {t["task"]} (observation_id, "on", missed, status, note, created_at)
            SELECT o.id, o.arrived_on + 1, 'evening',
                   CASE WHEN o.id %% 2 = 0 THEN 'done' ELSE 'open' END, '',
                   o.arrived_on + time '00:10' AT TIME ZONE 'Asia/Shanghai' + interval '2 days'
            FROM {t["observation"]} o JOIN areas_area a ON a.id = o.area_id
            WHERE a.path LIKE %s AND o.id %% 20 = 1 AND o.arrived_on + 2 <= %s::date""",
        [district.path + "%", today],
    )
    for name in ("observation", "alert", "task"):
        cursor.execute(f"VACUUM ANALYZE {t[name]}")
    print(f"  observations: {n:,} built in {time.perf_counter() - started:.1f} s")


def median(fn: Any, repeat: int = 7) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def explain(sql: str, params: list[Any]) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def plan_of(qs: Any) -> list[str]:
    sql, params = qs.query.sql_with_params()
    return explain(sql, list(params))


def freshness(district: Any, today: dt.date, rounds: int = 7) -> tuple[list[float], list[float]]:
    """Register one person in a community of `district`, then read the district's figures
    for today (timed; must include the person); and, alternating, rebuild the whole day."""
    from fangkong.areas.models import Area
    from fangkong.registry.people.services import person_register
    from fangkong.reports.selectors import day_figures
    from fangkong.reports.services import build_day

    zone = Area.objects.filter(path__startswith=district.path, kind="zone").order_by("path").first()
    reads, rebuilds = [], []
    for i in range(rounds):
        before = day_figures(area=district, on=today).figures["people"]
        person_register(
            actor=None,
            area=zone,
            data={"name": f"基准新登记{i}", "phone": f"139{88000000 + i:08d}"[:11]},
            require_document=False,
        )
        start = time.perf_counter()
        figures = day_figures(area=district, on=today)
        reads.append(time.perf_counter() - start)
        if figures.figures["people"] != before + 1:
            raise SystemExit("the district's figures did not include the change")
        if i % 2 == 0:
            start = time.perf_counter()
            build_day(today)
            rebuilds.append(time.perf_counter() - start)
    return reads, rebuilds


def run() -> None:
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        print(
            "  skipped: needs PostgreSQL "
            "(FANGKONG_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/fangkong_bench)"
        )
        return
    from django.db.models import Sum

    from fangkong.core.scoping import subtree_q
    from fangkong.reports.figures import STORED_KEYS, count_day
    from fangkong.reports.models import DailyFigures
    from fangkong.reports.selectors import day_figures, trend
    from fangkong.reports.services import build_day

    n = int(os.environ.get("BENCH_OBSERVATIONS", "200000"))
    district = ensure_gate_data()
    t = _tables()
    with connection.cursor() as cursor:
        backdate(cursor, t, district)
        ensure_observations(cursor, t, district, n)
        cursor.execute(f"TRUNCATE {t['figures']}, {t['build']}")

    today = timezone.localdate()
    days = [today - dt.timedelta(days=k) for k in range(29, -1, -1)]
    builds = []
    for day in days:
        start = time.perf_counter()
        build = build_day(day)
        builds.append(time.perf_counter() - start)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {t['figures']}")
        cursor.execute(f"SELECT count(*) FROM {t['figures']}")
        rows = cursor.fetchone()[0]
    print(
        f"  built 30 days ({rows:,} area rows, {build.areas:,} today): "
        f"median {statistics.median(builds):.2f} s a day, slowest {max(builds):.2f} s"
    )

    read = median(lambda: day_figures(area=district, on=today))
    month = median(lambda: trend(area=district, start=days[0], end=today))
    direct = median(lambda: count_day(today), repeat=3)
    figures = day_figures(area=district, on=today)
    print(
        f"  district {district.code} today: observing {figures.figures['observing']:,}, "
        f"checks {figures.figures['checks']:,}, people {figures.figures['people']:,}, "
        f"{len(figures.children)} children"
    )
    for label, took, target in (
        ("day_figures(district, today)", read, DAY_TARGET),
        ("trend(district, 30 days)", month, TREND_TARGET),
    ):
        verdict = "within" if took <= target else "OVER"
        print(
            f"  {label}: {took * 1000:.1f} ms warm (median of 7); {verdict} the "
            f"{target * 1000:.0f} ms target; counting the day from the records: "
            f"{direct * 1000:.0f} ms, ratio {direct / took:.0f}x"
        )

    fresh_reads, rebuilds = freshness(district, today)
    verdict = "within" if max(fresh_reads) <= DAY_TARGET else "OVER"
    fresh, rebuild = statistics.median(fresh_reads), statistics.median(rebuilds)
    print(
        f"  after a change in one community, the district's figures for today: "
        f"{fresh * 1000:.1f} ms median, "
        f"{max(fresh_reads) * 1000:.1f} ms slowest of {len(fresh_reads)}, each including the "
        f"change ({verdict} the {DAY_TARGET * 1000:.0f} ms target); rebuilding the whole day: "
        f"{rebuild:.2f} s, ratio {rebuild / fresh:.0f}x"
    )

    subtree = subtree_q("area__path", district.path)
    day_rows = (
        DailyFigures.objects.filter(on=today)
        .filter(subtree)
        .values("area__path", "denials_by_reason", *STORED_KEYS)
    )
    month_rows = (
        DailyFigures.objects.filter(on__gte=days[0], on__lte=today)
        .filter(subtree)
        .values("on")
        .annotate(**{k: Sum(k) for k in STORED_KEYS})
        .order_by("on")
    )
    for label, qs in (("day read", day_rows), ("30-day trend", month_rows)):
        print(f"  plan, {label}:")
        for line in plan_of(qs)[:12]:
            print(f"    {line}")
