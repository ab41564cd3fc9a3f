"""GB/T 2828.1 (= ISO 2859-1) single sampling, normal inspection: table 1's code letters
and table 2-A's plans, checked cell by cell against the published tables — every code
letter at several AQLs, the arrows and 100 % inspection."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fangkong.quality.sampling import (
    AQLS,
    DOWN,
    LETTERS,
    UP,
    SamplingError,
    cell,
    code_letter,
    plan_for,
    sampling_plan,
)

# Table 1: (lot size, level) → code letter, at both ends of ranges.
TABLE_1 = [
    (2, "I", "A"), (8, "II", "A"), (8, "III", "B"), (9, "II", "B"), (15, "III", "C"),
    (16, "I", "B"), (25, "II", "C"), (26, "II", "D"), (50, "III", "E"), (51, "I", "C"),
    (90, "II", "E"), (91, "II", "F"), (150, "III", "G"), (151, "II", "G"), (280, "I", "E"),
    (281, "II", "H"), (500, "III", "J"), (501, "II", "J"), (1200, "II", "J"),
    (1201, "II", "K"), (3200, "I", "H"), (3201, "II", "L"), (10000, "III", "M"),
    (10001, "II", "M"), (35000, "I", "K"), (35001, "II", "N"), (150000, "III", "P"),
    (150001, "II", "P"), (500000, "I", "M"), (500001, "I", "N"), (500001, "II", "Q"),
    (500001, "III", "R"), (10**7, "III", "R"),
]  # fmt: skip


@pytest.mark.parametrize(("lot", "level", "letter"), TABLE_1)
def test_it_reads_the_code_letter_from_table_1(lot: int, level: str, letter: str) -> None:
    assert code_letter(lot, level) == letter


# Table 2-A, AQL columns 0.65 … 15, every code letter: the cell as printed
# ("d" ↓, "u" ↑, or Ac/Re).
D, U = DOWN, UP
COLUMNS = ["0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15"]
TABLE_2A = {
    "B": [D, D, D, D, (0, 1), U, D, (1, 2)],
    "C": [D, D, D, (0, 1), U, D, (1, 2), (2, 3)],
    "D": [D, D, (0, 1), U, D, (1, 2), (2, 3), (3, 4)],
    "E": [D, (0, 1), U, D, (1, 2), (2, 3), (3, 4), (5, 6)],
    "F": [(0, 1), U, D, (1, 2), (2, 3), (3, 4), (5, 6), (7, 8)],
    "G": [U, D, (1, 2), (2, 3), (3, 4), (5, 6), (7, 8), (10, 11)],
    "H": [D, (1, 2), (2, 3), (3, 4), (5, 6), (7, 8), (10, 11), (14, 15)],
    "J": [(1, 2), (2, 3), (3, 4), (5, 6), (7, 8), (10, 11), (14, 15), (21, 22)],
    "K": [(2, 3), (3, 4), (5, 6), (7, 8), (10, 11), (14, 15), (21, 22), U],
    "L": [(3, 4), (5, 6), (7, 8), (10, 11), (14, 15), (21, 22), U, U],
    "M": [(5, 6), (7, 8), (10, 11), (14, 15), (21, 22), U, U, U],
    "N": [(7, 8), (10, 11), (14, 15), (21, 22), U, U, U, U],
    "P": [(10, 11), (14, 15), (21, 22), U, U, U, U, U],
    "Q": [(14, 15), (21, 22), U, U, U, U, U, U],
    "R": [(21, 22), U, U, U, U, U, U, U],
}


@pytest.mark.parametrize("letter", list(TABLE_2A))
def test_each_code_letter_row_of_table_2a(letter: str) -> None:
    printed = [cell(letter, Decimal(aql)) for aql in COLUMNS]
    assert printed == TABLE_2A[letter]


@pytest.mark.parametrize(
    ("letter", "aql", "expected"),
    [
        # Row A: ↓ up to 4.0, Ac 0 at 6.5, then the large AQLs up to 30/31.
        ("A", "0.010", D), ("A", "4.0", D), ("A", "6.5", (0, 1)), ("A", "25", (1, 2)),
        ("A", "40", (2, 3)), ("A", "65", (3, 4)), ("A", "100", (5, 6)), ("A", "150", (7, 8)),
        ("A", "250", (10, 11)), ("A", "400", (14, 15)), ("A", "650", (21, 22)),
        ("A", "1000", (30, 31)),
        ("B", "650", (30, 31)), ("B", "1000", (44, 45)), ("C", "650", (44, 45)),
        ("C", "1000", U), ("D", "400", (44, 45)), ("D", "650", U),
        ("E", "100", (21, 22)),
        # The smallest AQLs: Ac 0 at the largest samples.
        ("Q", "0.010", (0, 1)), ("P", "0.015", (0, 1)), ("N", "0.025", (0, 1)),
        ("M", "0.040", (0, 1)), ("L", "0.065", (0, 1)), ("K", "0.10", (0, 1)),
        ("J", "0.15", (0, 1)), ("H", "0.25", (0, 1)), ("G", "0.40", (0, 1)),
        ("R", "0.025", (1, 2)), ("R", "0.25", (10, 11)), ("R", "0.40", (14, 15)),
        ("P", "0.010", D), ("R", "0.010", U),
    ],
)  # fmt: skip
def test_more_cells_of_table_2a(letter: str, aql: str, expected: object) -> None:
    assert cell(letter, Decimal(aql)) == expected


@pytest.mark.parametrize(
    ("letter", "aql", "plan"),
    [
        ("A", "0.65", ("F", 0, 1)),  # ↓ to n = 20
        ("A", "0.010", ("Q", 0, 1)),  # ↓ all the way to n = 1250
        ("B", "6.5", ("A", 0, 1)),  # ↑ to n = 2
        ("G", "0.65", ("F", 0, 1)),  # ↑
        ("G", "1.0", ("H", 1, 2)),  # ↓
        ("J", "0.25", ("H", 0, 1)),  # ↑ to n = 50
        ("J", "0.40", ("K", 1, 2)),  # ↓ to n = 125
        ("K", "15", ("J", 21, 22)),  # ↑ past the last plan of the column
        ("L", "10", ("K", 21, 22)),
        ("R", "1.0", ("Q", 21, 22)),
        ("R", "0.010", ("Q", 0, 1)),
        ("C", "1000", ("B", 44, 45)),
        ("J", "2.5", ("J", 5, 6)),  # no arrow
    ],
)
def test_it_follows_the_arrows(letter: str, aql: str, plan: tuple[str, int, int]) -> None:
    assert plan_for(letter, Decimal(aql)) == plan


def test_every_cell_leads_to_a_plan_with_re_one_above_ac() -> None:
    for letter in LETTERS:
        for aql in AQLS:
            used, accept, reject = plan_for(letter, aql)
            assert reject == accept + 1
            assert used in LETTERS


def test_lot_1200_level_ii_aql_2_5_is_j_80_ac5_re6() -> None:
    plan = sampling_plan(lot_size=1200, aql="2.5", level="II")
    assert (plan.lot_code_letter, plan.code_letter, plan.sample_size) == ("J", "J", 80)
    assert (plan.accept, plan.reject, plan.full_inspection) == (5, 6, False)


def test_an_arrow_changes_the_sample_size_to_the_new_letters() -> None:
    plan = sampling_plan(lot_size=100, aql="0.65", level="I")  # D: ↓ … F
    assert (plan.lot_code_letter, plan.code_letter) == ("D", "F")
    assert (plan.sample_size, plan.accept, plan.reject) == (20, 0, 1)


def test_a_sample_as_large_as_the_lot_is_100_percent_inspection() -> None:
    plan = sampling_plan(lot_size=5, aql="0.65", level="II")  # A → F, n = 20 > 5
    assert plan.full_inspection and plan.sample_size == 5
    assert (plan.accept, plan.reject) == (0, 1)
    exactly = sampling_plan(lot_size=2, aql="6.5", level="II")  # A, n = 2 = lot
    assert exactly.full_inspection and exactly.sample_size == 2
    smaller = sampling_plan(lot_size=10, aql="6.5", level="II")  # B ↑ A, n = 2 < 10
    assert not smaller.full_inspection and smaller.sample_size == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"lot_size": 1, "aql": "2.5"}, "lot_size"),
        ({"lot_size": "abc", "aql": "2.5"}, "lot_size"),
        ({"lot_size": 100, "aql": "3"}, "aql"),
        ({"lot_size": 100, "aql": "x"}, "aql"),
        ({"lot_size": 100, "aql": "2.5", "level": "S-1"}, "level"),
        ({"lot_size": 100, "aql": "2.5", "level": "IV"}, "level"),
    ],
)
def test_it_names_the_bad_parameter(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(SamplingError) as caught:
        sampling_plan(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_aqls_are_read_however_they_are_written() -> None:
    assert sampling_plan(lot_size=1200, aql="2.50").accept == 5
    assert sampling_plan(lot_size=1200, aql=Decimal("10")).accept == 14
    assert sampling_plan(lot_size=1200, aql="0.1").code_letter == "K"
