"""Synthetic rows, a chunk at a time: people, their addresses and current residences,
generated (and encrypted) in worker processes, as COPY text for PostgreSQL or tuples for
SQLite, with the columns they fill."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from fangkong.core.crypto import blind_index, encrypt
from fangkong.registry.demo.data import (
    FEMALE_CHARS,
    HOLIDAY_PLACES,
    MALE_CHARS,
    MOBILE_PREFIXES,
    SURNAME_WEIGHTS,
    SURNAMES,
)
from fangkong.registry.synth.documents import documents

NOT_BACK_SHARE = 0.08
TENANT_SHARE = 0.2
NULL = r"\N"  # COPY text format
_FIRST_SINCE, _LAST_SINCE = dt.date(2000, 1, 1), dt.date(2019, 12, 31)


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
