"""`fangkong synth`: district-scale synthetic registry data for benchmarks (the command in
management/commands/synth.py parses the options and prints the summary).

A synthetic district (code 99xxxx: no province has the code 99, so it never meets a real
one) gets streets, M communities and their zones (tree.py); N people are spread over the
zones in households of one to five, each with an address (楼 / 单元 / 室) and a current
residence, some tenants with landlords, about 8 % not yet back (generating.py).

Every row is written exactly as the application writes it: documents and phones encrypted
(fangkong.core.crypto.encrypt), found through their blind index, masked like
fangkong.core.identity masks them, with valid and unique resident IDs (documents.py).

PostgreSQL is written with COPY (psycopg 3), fed by worker processes that generate and
encrypt rows while the database stores the previous chunk; SQLite with executemany.
"""

# Table and column names below come from model metadata and are quoted; values are bound.
# ruff: noqa: S608

from __future__ import annotations

import multiprocessing
import os
import random
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.registry.models import Address, Person, Residence
from fangkong.registry.synth.documents import documents
from fangkong.registry.synth.generating import (
    ADDRESS_COLUMNS,
    PERSON_COLUMNS,
    RESIDENCE_COLUMNS,
    Chunk,
    Rows,
    columns,
    generate,
)
from fangkong.registry.synth.tree import synth_tree

PEOPLE_PER_COMMUNITY = 5000  # the default number of communities follows from it
CHUNK_PEOPLE = 20_000


class SynthError(Exception):
    """The run cannot be done, or failed and wrote nothing; the message says why."""


@dataclass
class SynthResult:
    people: int
    households: int
    loaded_seconds: float  # writing the rows
    spent: dict[str, float]  # seconds per table
    total_seconds: float = 0.0  # everything, the tree and the clearing included


@dataclass
class Zone:
    id: int
    code: str
    people: int
    first_building: int  # buildings already there (numbering goes on after them)


def default_communities(people: int) -> int:
    return max(1, round(people / PEOPLE_PER_COMMUNITY))


def synth_district(
    *,
    district: str,
    people: int,
    communities: int,
    zones_per: int,
    seed: int,
    clear: bool = False,
    workers: int | None = None,
    log: Callable[[str], None],
) -> SynthResult | None:
    """Add `people` synthetic people to `district` (its tree made as needed), after
    removing its people first with `clear`. `workers`: generator processes (None: CPUs − 1
    for a large run). `log` receives the progress lines. None when no people were asked
    for (the tree is then in place)."""
    postgres = connection.vendor == "postgresql"
    if workers is None:
        workers = max(1, (os.cpu_count() or 1) - 1) if people >= 100_000 else 0
    started = time.monotonic()
    documents(district)  # built once, before forking, and shared by the workers

    pool: Pool | None = None
    if workers > 0:
        if not connection.in_atomic_block:
            connections.close_all()  # no inherited database socket in the children
        pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        if clear:
            _clear(district, log)
        result = _run(
            district=district,
            people=people,
            communities=communities,
            zones_per=zones_per,
            seed=seed,
            postgres=postgres,
            pool=pool,
            workers=workers,
            log=log,
        )
        if result is not None:
            result.total_seconds = time.monotonic() - started
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    if postgres and people:
        with connection.cursor() as cursor:
            for model in (Person, Address, Residence):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return result


def _quoted(names: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def _reserve(model: type[models.Model], count: int, postgres: bool) -> int:
    """First of `count` consecutive ids nobody else will take."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if postgres:
            # A short transaction of its own: the sequence jump outlives a failed run
            # (ids are merely skipped) and the lock is held for milliseconds.
            with transaction.atomic():
                cursor.execute(
                    f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE"
                )
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                sequence = cursor.fetchone()[0]
                cursor.execute("SELECT nextval(%s)", [sequence])
                first = int(cursor.fetchone()[0])
                if count > 1:
                    cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
                return first
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        return int(cursor.fetchone()[0]) + 1


def _plan(*, zones: list[Area], people: int, zones_per: int) -> list[Zone]:
    """People per community and per zone (spread evenly), and where building numbers
    go on in each zone."""
    communities = len(zones) // zones_per
    counts: list[int] = []
    for c in range(communities):
        in_community = people // communities + (1 if c < people % communities else 0)
        counts.extend(
            in_community // zones_per + (1 if z < in_community % zones_per else 0)
            for z in range(zones_per)
        )
    last: dict[int, int] = {}
    for area_id, building in (
        Address.objects.filter(area__in=zones).values_list("area_id", "building").distinct()
    ):
        match = re.match(r"^([0-9]+)号楼$", building)
        if match:
            last[area_id] = max(last.get(area_id, 0), int(match.group(1)))
    return [
        Zone(id=z.id, code=z.code, people=n, first_building=last.get(z.id, 0))
        for z, n in zip(zones, counts, strict=True)
    ]


def _chunks(
    *,
    district: str,
    zones: list[Zone],
    seed: int,
    serial: int,
    person_id: int,
    address_id: int,
    sizes: list[tuple[int, ...]],
    postgres: bool,
    now: Any,
    extras: tuple[tuple[Any, ...], ...],
) -> Iterator[Chunk]:
    for zone, zone_sizes in zip(zones, sizes, strict=True):
        layout_rng = random.Random(zone.code)  # noqa: S311
        layout = (
            layout_rng.randint(2, 6),
            layout_rng.choice((6, 6, 12, 18)),
            layout_rng.randint(2, 4),
        )
        ordinal = zone.first_building * layout[0] * layout[1] * layout[2]
        start = 0
        while start < len(zone_sizes):
            stop, count = start, 0
            while stop < len(zone_sizes) and count < CHUNK_PEOPLE:
                count += zone_sizes[stop]
                stop += 1
            part = zone_sizes[start:stop]
            yield Chunk(
                district=district,
                area_id=zone.id,
                serial=serial,
                person_id=person_id,
                address_id=address_id,
                ordinal=ordinal + start,
                layout=layout,
                sizes=part,
                seed=f"{seed}:{district}:{zone.code}:{serial}",
                postgres=postgres,
                now=now,
                person_extra=extras[0],
                address_extra=extras[1],
                residence_extra=extras[2],
            )
            serial += count
            person_id += count
            address_id += len(part)
            start = stop


def _run(
    *,
    district: str,
    people: int,
    communities: int,
    zones_per: int,
    seed: int,
    postgres: bool,
    pool: Pool | None,
    workers: int,
    log: Callable[[str], None],
) -> SynthResult | None:
    with transaction.atomic():
        zones = synth_tree(district=district, communities=communities, zones_per=zones_per, log=log)
    docs = documents(district)
    district_area = Area.objects.get(code=district)
    serial = Person.objects.filter(area__path__startswith=district_area.path).count()
    if serial + people > docs.capacity:
        raise SynthError(f"a synthetic district holds at most {docs.capacity:,} people")
    plan = _plan(zones=zones, people=people, zones_per=zones_per)
    sizes: list[tuple[int, ...]] = []
    for zone in plan:
        rng = random.Random(f"{seed}:{district}:{zone.code}:{serial}:sizes")  # noqa: S311
        drawn = rng.choices((1, 2, 3, 4, 5), (14, 30, 30, 16, 10), k=zone.people)
        out, total = [], 0
        for size in drawn:
            if total >= zone.people:
                break
            size = min(size, zone.people - total)
            out.append(size)
            total += size
        sizes.append(tuple(out))
    households = sum(len(s) for s in sizes)
    if not people:
        log("no people requested: the tree is in place")
        return None

    person_id = _reserve(Person, people, postgres)
    address_id = _reserve(Address, households, postgres)
    now_dt = timezone.now()
    now = now_dt.isoformat() if postgres else connection.ops.adapt_datetimefield_value(now_dt)
    person_cols, person_extra = columns(Person, PERSON_COLUMNS)
    address_cols, address_extra = columns(Address, ADDRESS_COLUMNS)
    residence_cols, residence_extra = columns(Residence, RESIDENCE_COLUMNS)
    chunks = _chunks(
        district=district,
        zones=plan,
        seed=seed,
        serial=serial,
        person_id=person_id,
        address_id=address_id,
        sizes=sizes,
        postgres=postgres,
        now=now,
        extras=(person_extra, address_extra, residence_extra),
    )
    tables = [
        (Person._meta.db_table, person_cols),
        (Address._meta.db_table, address_cols),
        (Residence._meta.db_table, residence_cols),
    ]
    log(
        f"synth: {people:,} people in {households:,} households, {len(plan):,} zones of "
        f"{communities:,} communities under {district} "
        f"({connection.vendor}, {workers or 'no'} worker processes)"
    )
    written = 0
    spent: dict[str, float] = {}
    last_print = time.monotonic()
    load_started = time.monotonic()
    try:
        with transaction.atomic():
            if postgres:
                # Check foreign keys at the end of each COPY, not at commit: the queue
                # of deferred checks for millions of rows would live in memory.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for rows in _generated(chunks, pool, workers):
                _write(rows, tables, postgres, spent)
                written += rows.people
                now_t = time.monotonic()
                if now_t - last_print >= 2 or written == people:
                    last_print = now_t
                    rate = written / max(now_t - load_started, 1e-6)
                    log(f"  {written:>12,} / {people:,} people   {rate:,.0f} people/s")
    except DatabaseError as exc:
        raise SynthError(f"synth failed, nothing was written: {exc}") from exc
    return SynthResult(
        people=people,
        households=households,
        loaded_seconds=time.monotonic() - load_started,
        spent=spent,
    )


def _generated(chunks: Iterator[Chunk], pool: Pool | None, workers: int) -> Iterator[Rows]:
    if pool is None:
        yield from map(generate, chunks)
        return
    # At most a few chunks in flight: the generators never run far ahead of the
    # database, so memory stays flat whatever N is.
    pending: deque[AsyncResult[Rows]] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(generate, (chunk,)))
        if len(pending) >= workers * 2:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _write(
    rows: Rows, tables: list[tuple[str, list[str]]], postgres: bool, spent: dict[str, float]
) -> None:
    """Write one chunk; `spent` adds up the seconds each table took."""
    data = (rows.person_rows, rows.address_rows, rows.residence_rows)
    with connection.cursor() as cursor:
        for (table, cols), payload in zip(tables, data, strict=True):
            begun = time.monotonic()
            if postgres:
                statement = f"COPY {connection.ops.quote_name(table)} ({_quoted(cols)}) FROM STDIN"
                with cursor.connection.cursor() as pg, pg.copy(statement) as copy:
                    copy.write(payload)
            else:
                marks = ", ".join(["%s"] * len(cols))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(cols)}) "
                    f"VALUES ({marks})",
                    payload,
                )
            spent[table] = spent.get(table, 0.0) + time.monotonic() - begun


def _clear(district: str, log: Callable[[str], None]) -> None:
    """Remove the district's people, residences and addresses. The tree stays: accounts
    and audit records may point at its areas, and the next run reuses it."""
    root = Area.objects.filter(code=district).first()
    if root is None:
        return
    q = connection.ops.quote_name
    area, person = q(Area._meta.db_table), q(Person._meta.db_table)
    address, residence = q(Address._meta.db_table), q(Residence._meta.db_table)
    areas = f"SELECT id FROM {area} WHERE path LIKE %s"
    like = [root.path + "%"]
    started = time.monotonic()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {residence} WHERE address_id IN "
                f"(SELECT id FROM {address} WHERE area_id IN ({areas})) OR person_id IN "
                f"(SELECT id FROM {person} WHERE area_id IN ({areas}))",
                like * 2,
            )
            cursor.execute(f"DELETE FROM {person} WHERE area_id IN ({areas})", like)
            removed = cursor.rowcount
            cursor.execute(f"DELETE FROM {address} WHERE area_id IN ({areas})", like)
    except DatabaseError as exc:
        raise SynthError(
            f"cannot clear {district}: other records still point at its people ({exc})"
        ) from exc
    log(
        f"cleared {district}: {removed:,} people removed in {time.monotonic() - started:.1f} s "
        "(the area tree is kept)"
    )
