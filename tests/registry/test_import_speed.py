"""The import's speed paths say what the plain ones say: a chunk's texts as each cell's
text, a landlord met before as one checked afresh, and the collector put back as it was."""

from __future__ import annotations

import datetime as dt
import gc

from fangkong.core.crypto import blind_index
from fangkong.registry.imports import checking
from fangkong.registry.imports.collecting import fewer_collections
from fangkong.registry.imports.excel import cell_text
from fangkong.registry.imports.rows import RowCheck, texts

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
