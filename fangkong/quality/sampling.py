"""GB/T 2828.1 (identical to ISO 2859-1) single sampling, normal inspection, general
inspection levels I, II and III: the sample size code letter from the lot size (table 1)
and the plan — sample size, acceptance number Ac, rejection number Re — from table 2-A,
following its arrows.

Table 2-A is kept as data in the shape the printed table has: its cells lie on diagonals
(one code letter down and one AQL column left keep the same cell), so a cell is named by
`step = letter index + AQL index − 14`:

- step < 0: ↓ (use the first plan below the arrow);
- step 0: Ac 0, Re 1;
- step 1: ↑ (the first plan above) — except in row A, which has nothing above: ↓;
- step 2: ↓ — except in row R, which has nothing below: ↑;
- step 3 … 10: Ac 1, 2, 3, 5, 7, 10, 14, 21 (Re = Ac + 1);
- step 11 and 12: Ac 30 and 44 — only in rows A to D (the large AQLs, nonconformities per
  100 units); elsewhere ↑.

When an arrow is followed, the sample size is the new code letter's. When the sample size
equals or exceeds the lot size, the whole lot is inspected (100 %), with the same Ac / Re.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

LEVELS: tuple[str, ...] = ("I", "II", "III")

# Table 1: the upper bound of each lot size range, and the code letter for levels I, II, III.
CODE_LETTERS: tuple[tuple[int | None, str, str, str], ...] = (
    (8, "A", "A", "B"),
    (15, "A", "B", "C"),
    (25, "B", "C", "D"),
    (50, "C", "D", "E"),
    (90, "C", "E", "F"),
    (150, "D", "F", "G"),
    (280, "E", "G", "H"),
    (500, "F", "H", "J"),
    (1200, "G", "J", "K"),
    (3200, "H", "K", "L"),
    (10000, "J", "L", "M"),
    (35000, "K", "M", "N"),
    (150000, "L", "N", "P"),
    (500000, "M", "P", "Q"),
    (None, "N", "Q", "R"),
)

# Table 2-A: the code letters in order with their sample sizes.
SAMPLE_SIZES: dict[str, int] = {
    "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50,
    "J": 80, "K": 125, "L": 200, "M": 315, "N": 500, "P": 800, "Q": 1250, "R": 2000,
}  # fmt: skip
LETTERS: tuple[str, ...] = tuple(SAMPLE_SIZES)

# Table 2-A's AQL columns (percent nonconforming up to 10, nonconformities per 100 units).
AQLS: tuple[Decimal, ...] = tuple(
    Decimal(v)
    for v in (
        "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
        "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
        "100", "150", "250", "400", "650", "1000",
    )
)  # fmt: skip

# Acceptance numbers along the diagonals from step 3 (Re is always Ac + 1 in table 2-A).
_ACCEPT_FROM_STEP_3: tuple[int, ...] = (1, 2, 3, 5, 7, 10, 14, 21, 30, 44)
_ZERO_STEP = 14  # AQL 6.5 (index 14) in row A (index 0) is the first Ac 0 cell
_LAST_ROW_WITH_30 = LETTERS.index("D")

DOWN, UP = "down", "up"


class SamplingError(ValueError):
    """An input the tables do not have; `field` names it (lot_size, aql, level)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class SamplingPlan:
    lot_size: int
    level: str
    aql: Decimal
    lot_code_letter: str  # from table 1
    code_letter: str  # of the plan used, after any arrow
    sample_size: int  # what to inspect: the whole lot when the plan's sample reaches it
    accept: int
    reject: int

    @property
    def full_inspection(self) -> bool:
        """100 % inspection: the plan's sample would be the whole lot (or more)."""
        return SAMPLE_SIZES[self.code_letter] >= self.lot_size

    @property
    def arrow_followed(self) -> bool:
        return self.code_letter != self.lot_code_letter


def parse_aql(value: object) -> Decimal:
    """An AQL as a column of table 2-A ("2.5", "0.65", 10 …), else SamplingError(aql)."""
    try:
        aql = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise SamplingError("aql", "not a number") from None
    for column in AQLS:
        if aql == column:
            return column
    raise SamplingError("aql", "not an AQL of table 2-A")


def parse_level(value: object) -> str:
    level = str(value).strip().upper()
    if level not in LEVELS:
        raise SamplingError("level", "not a general inspection level (I, II, III)")
    return level


def parse_lot_size(value: object) -> int:
    if isinstance(value, bool):
        raise SamplingError("lot_size", "not a whole number")
    try:
        lot = int(str(value).strip())
    except ValueError:
        raise SamplingError("lot_size", "not a whole number") from None
    if lot < 2:
        raise SamplingError("lot_size", "below 2")
    return lot


def code_letter(lot_size: int, level: str) -> str:
    """Table 1."""
    column = LEVELS.index(level) + 1
    for upper, *letters in CODE_LETTERS:
        if upper is None or lot_size <= upper:
            return str(letters[column - 1])
    raise AssertionError("unreachable: the last row has no upper bound")


def cell(letter: str, aql: Decimal) -> tuple[int, int] | str:
    """One cell of table 2-A: (Ac, Re), or the arrow DOWN / UP."""
    row = LETTERS.index(letter)
    step = row + AQLS.index(aql) - _ZERO_STEP
    if step < 0:
        return DOWN
    if step == 0:
        return (0, 1)
    if step == 1:
        return DOWN if row == 0 else UP
    if step == 2:
        return UP if row == len(LETTERS) - 1 else DOWN
    index = step - 3
    if index >= len(_ACCEPT_FROM_STEP_3) or (index >= 8 and row > _LAST_ROW_WITH_30):
        return UP
    accept = _ACCEPT_FROM_STEP_3[index]
    return (accept, accept + 1)


def plan_for(letter: str, aql: Decimal) -> tuple[str, int, int]:
    """Follow the arrows from (letter, aql) to a plan: (its code letter, Ac, Re)."""
    row = LETTERS.index(letter)
    while True:
        found = cell(LETTERS[row], aql)
        if found == DOWN:
            row += 1
        elif found == UP:
            row -= 1
        else:
            assert isinstance(found, tuple)
            return LETTERS[row], found[0], found[1]


def sampling_plan(*, lot_size: object, aql: object, level: object = "II") -> SamplingPlan:
    """The single sampling plan, normal inspection, for a lot; SamplingError naming the
    parameter for a lot size below 2, or an AQL or level the table has not."""
    lot = parse_lot_size(lot_size)
    column = parse_aql(aql)
    lvl = parse_level(level)
    lot_letter = code_letter(lot, lvl)
    letter, accept, reject = plan_for(lot_letter, column)
    return SamplingPlan(
        lot_size=lot,
        level=lvl,
        aql=column,
        lot_code_letter=lot_letter,
        code_letter=letter,
        sample_size=min(SAMPLE_SIZES[letter], lot),
        accept=accept,
        reject=reject,
    )


def aql_label(aql: Decimal) -> str:
    """ "0.010", "0.65", "2.5", "10" — the way the table prints it."""
    for column in AQLS:
        if column == aql:
            return str(column)
    return format(aql, "f")
