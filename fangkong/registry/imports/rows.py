"""A sheet row on its way through the checks (RowCheck) and what a checked row carries to
the writer (Prepared): document and phone already encrypted, so neither the spool nor a
worker process ever holds them in clear."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any, Final, NamedTuple

from fangkong.core.identity import mask_document, mask_phone
from fangkong.registry.imports.excel import HEADER_OF, cell_name, cell_text
from fangkong.registry.people.cleaning import CleanPerson


class Prepared(NamedTuple):
    """One checked row, ready to write. Document and phone travel encrypted. On an
    update (person_id set) a missing document, phone or employer keeps the person's."""

    row: int
    person_id: int | None
    area_id: int
    name: str
    document_type: str
    document: tuple[bytes, str, str] | None  # cipher, index, masked
    phone: tuple[bytes, str, str] | None
    sex: str
    birth_date: dt.date | None
    residency: str
    whereabouts: str
    away_from: str
    building: str
    entrance: str
    room: str
    residence_kind: str
    since: dt.date | None
    landlord_index: str | None  # a full document number in the sheet
    keep_landlord: bool  # masked in the sheet: the current landlord stays
    employer: str


_LAYOUTS: dict[int, tuple[dict[str, int], tuple[str, ...], Callable[[Any], Any], int]] = {}


def _layout(index: dict[str, int]) -> tuple[tuple[str, ...], Callable[[Any], Any], int]:
    """A sheet's column keys, a getter of their cells (in that order) and the width a row
    needs, made once per sheet (its index dict): RowCheck.text runs for every row."""
    entry = _LAYOUTS.get(id(index))
    if entry is None or entry[0] is not index:
        keys = tuple(index)
        positions = [index[k] for k in keys]
        if len(positions) == 1:
            (only,) = positions
            pick: Callable[[Any], Any] = lambda cells: (cells[only],)  # noqa: E731
        else:
            pick = operator.itemgetter(*positions)
        if len(_LAYOUTS) > 64:
            _LAYOUTS.clear()
        entry = _LAYOUTS[id(index)] = (index, keys, pick, max(positions, default=-1) + 1)
    return entry[1], entry[2], entry[3]


def texts(index: dict[str, int], lines: list[tuple[int, list[Any]]]) -> list[dict[str, str]]:
    """Each line's cells as text by column key (RowCheck.text), a chunk at a time: the
    sheet's layout is looked up once, and a line of text cells only — nearly every line
    — is stripped in one pass of str.strip."""
    keys, pick, width = _layout(index)
    strip = str.strip
    out: list[dict[str, str]] = []
    append = out.append
    for _, cells in lines:
        if len(cells) < width:
            cells = [*cells, *[""] * (width - len(cells))]
        values = pick(cells)
        try:
            append(dict(zip(keys, map(strip, values), strict=True)))
        except TypeError:  # a number, a date, an empty cell read as None
            text = [v.strip() if type(v) is str else cell_text(v) for v in values]
            append(dict(zip(keys, text, strict=True)))
    return out


class RowCheck:
    """One row on its way through validation."""

    __slots__ = (
        "_text",
        "area_id",
        "cells",
        "clean",
        "document_index",
        "document_type",
        "existing",
        "index",
        "keep_document",
        "keep_landlord",
        "keep_phone",
        "landlord_index",
        "number",
        "person_id",
        "prepared",
        "problems",
        "residence_kind",
        "since",
    )

    def __init__(
        self,
        number: int,
        cells: list[Any],
        index: dict[str, int],
        text: dict[str, str] | None = None,
    ) -> None:
        self.number = number
        self.cells = cells
        self.index = index  # column key → position in `cells`
        self._text = text  # texts() of the line, when made for its whole chunk
        self.problems: list[tuple[str, str]] = []  # (column key, reason)
        self.person_id: int | None = None
        self.existing: dict[str, Any] | None = None
        self.clean: CleanPerson | None = None
        self.prepared: Prepared | None = None
        self.document_index: str | None = None  # the keyed hash, computed once
        self.document_type = ""
        self.keep_document = self.keep_phone = self.keep_landlord = False
        self.area_id: int | None = None
        self.landlord_index: str | None = None
        self.residence_kind = ""
        self.since: dt.date | None = None

    @property
    def text(self) -> dict[str, str]:
        """Every cell as text, made on first use (and again after a trip between
        processes, which carries the checks but not the cells)."""
        if self._text is None:
            self._text = texts(self.index, [(self.number, self.cells)])[0]
        return self._text

    def get(self, key: str) -> str:
        text = self._text
        return (text if text is not None else self.text).get(key, "")

    _TRAVEL: Final[tuple[str, ...]] = (
        "area_id",
        "document_index",
        "document_type",
        "keep_document",
        "keep_landlord",
        "keep_phone",
        "landlord_index",
        "person_id",
        "prepared",
        "residence_kind",
        "since",
    )

    def travel(self) -> tuple[Any, ...]:
        """What a worker sends back: the checks' outcome, not the cells (the sender has
        them) nor the cleaned values (the prepared row carries what is written)."""
        outcome = [getattr(self, name) for name in self._TRAVEL]
        if self.prepared is not None:  # a plain tuple pickles at twice the speed
            outcome[self._TRAVEL.index("prepared")] = tuple(self.prepared)
        return (self.problems or None, *outcome)

    @classmethod
    def back(
        cls, number: int, cells: list[Any], index: dict[str, int], outcome: tuple[Any, ...]
    ) -> RowCheck:
        row = cls(number, cells, index)
        row.problems = outcome[0] or []
        for name, value in zip(cls._TRAVEL, outcome[1:], strict=True):
            setattr(row, name, value)
        if row.prepared is not None:
            row.prepared = Prepared._make(row.prepared)
        return row

    def raw(self, key: str) -> Any:
        """The cell as read (a date, a number), for the few checks that need it."""
        i = self.index.get(key)
        return self.cells[i] if i is not None and i < len(self.cells) else None

    def add(self, key: str, reason: str) -> None:
        self.problems.append((key, reason))

    def scrub(self, reason: str) -> str:
        """Reasons may quote what was typed; never keep a number in clear."""
        for key, masker in (
            ("document_number", mask_document),
            ("phone", mask_phone),
            ("landlord_document", mask_document),
        ):
            raw = self.get(key)
            if len(raw) >= 4 and raw in reason:
                reason = reason.replace(raw, masker(raw))
        return reason

    def reasons(self) -> list[dict[str, Any]]:
        """Each problem with the row and column as Excel shows them ("C5", 证件号码)."""
        out = []
        for key, reason in self.problems:
            position = self.index.get(key)
            out.append(
                {
                    "row": self.number,
                    "column": HEADER_OF.get(key, key),
                    "cell": cell_name(self.number, position) if position is not None else "",
                    "reason": self.scrub(reason),
                }
            )
        return out

    def reason_text(self) -> str:
        return "；".join(
            f"{e['cell']} {e['column']}：{e['reason']}"
            if e["cell"]
            else f"{e['column']}：{e['reason']}"
            for e in self.reasons()
        )
