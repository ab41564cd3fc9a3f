"""The import's speed paths say what the plain ones say: a chunk's texts as each cell's
text, a landlord met before as one checked afresh, and the collector put back as it was."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from django.db import connection
from django.utils import timezone

from fangkong.core.crypto import blind_index
from fangkong.registry.imports import checking
from fangkong.registry.imports.collecting import fewer_collections
from fangkong.registry.imports.excel import cell_text
from fangkong.registry.imports.rows import RowCheck, texts
from fangkong.registry.imports.writing import Bulk
from fangkong.registry.models import Address, Person, Residence
from tests.conftest import WANPING_ZONE, World

_TODAY = dt.date(2026, 12, 3)
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _rid(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W, strict=True)) % 11]


def test_a_chunks_texts_are_each_cells_text() -> None:
    index = {"name": 0, "document_number": 1, "phone": 2, "birth_date": 3, "room": 4}
    lines = [
        (2, [" 张三 ", "110106199003071234", "13912345678", "1990-03-07", "101"]),
        (3, ["李四", 1.10106e17, 13912345678.0, dt.datetime(1990, 3, 7), None]),
        (4, ["王五\u3000", "", True, dt.date(1990, 3, 7)]),  # shorter than the header
        (5, []),
    ]
    for (number, cells), text in zip(lines, texts(index, lines), strict=True):
        expected = {key: cell_text(cells[i]) if i < len(cells) else "" for key, i in index.items()}
        assert text == expected, number
        assert RowCheck(number, cells, index).text == expected


def test_a_landlord_met_before_is_hashed_as_one_checked_afresh() -> None:
    person, landlord = _rid("11010619700101001"), _rid("11010619700101002")
    index = {"name": 0, "document_number": 1, "area": 2, "building": 3, "landlord_document": 4}
    lines = [
        (2, ["房东", landlord, "A", "1号院", ""]),
        (3, ["租客", person, "A", "1号院", landlord]),
        (4, ["又一位", _rid("11010619700101003"), "A", "1号院", landlord[:-1] + "0"]),
        (5, ["再一位", _rid("11010619700101004"), "A", "1号院", "11019919700101005X"]),
    ]

    def checker() -> checking.RowChecker:
        return checking.RowChecker(
            area_name="宛平", today=_TODAY, areas={"A": (1, "")}, index=index
        )

    remembering = checker()
    rows = remembering.rows(lines, {})
    assert landlord in remembering._resident_ids
    assert rows[1].landlord_index == blind_index("doc:resident_id", landlord)
    assert not rows[1].problems
    # Each landlord alone, by a checker that met nobody before: the same outcome.
    for line, row in zip(lines, rows, strict=True):
        (alone,) = checker().rows([line], {})
        assert (row.landlord_index, row.problems) == (alone.landlord_index, alone.problems)


def test_fewer_collections_puts_the_collector_back() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= checking_threshold()
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def checking_threshold() -> int:
    from fangkong.registry.imports.collecting import YOUNG_THRESHOLD

    return YOUNG_THRESHOLD


def _scans(table: str) -> tuple[int, int]:
    """(sequential scans, index scans) of `table` in the current transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq_scan, COALESCE(idx_scan, 0) FROM pg_stat_xact_user_tables "
            "WHERE relname = %s",
            [table],
        )
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def test_a_new_rows_foreign_keys_are_checked_through_the_index(world: World) -> None:
    """With statistics taken while the addresses were few, as before a first import, the
    server checked each new home's address by reading the whole address table; the
    import's inserts have it probe the index, and leave the setting as they found it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans (set FANGKONG_DATABASE_URL)")
    area = world.areas[WANPING_ZONE]
    bulk = Bulk()
    bulk.check_keys_per_statement()  # as the import does
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_address")  # a few rows: a plan for a tiny table
        cursor.execute("SHOW enable_seqscan")
        setting = cursor.fetchone()[0]
    addresses = [(area.pk, f"{n}号楼", "", "") for n in range(1, 301)]
    bulk.insert(Address, ["area", "building", "entrance", "room"], addresses)
    address_ids = list(Address.objects.filter(area=area).values_list("id", flat=True))
    person_ids = bulk.ids(Person, len(address_ids))
    now = timezone.now()
    fields = "id area name document_type document_masked phone_masked sex residency"
    fields += " whereabouts away_from created_at updated_at"
    people = [
        (pk, area.pk, f"住户{pk}", "resident_id", "", "", "male", "registered", "in_beijing", "")
        for pk in person_ids
    ]
    bulk.insert(Person, fields.split(), [(*person, now, now) for person in people])
    before = _scans("registry_address")
    bulk.insert(
        Residence,
        ["person", "address", "kind"],
        [(p, a, "owner") for p, a in zip(person_ids, address_ids, strict=True)],
    )
    seq, idx = (after - was for after, was in zip(_scans("registry_address"), before, strict=True))
    assert Residence.objects.filter(person_id__in=person_ids).count() == len(person_ids)
    assert seq < 10 and idx >= len(address_ids), (seq, idx)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == setting
