"""Checking a screening sheet's rows, what the database says about a chunk of them: the
areas the sheet may name, people by 人员编号 and by document, landlords; and duplicates
within the sheet (Matcher)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import connection, models

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.core.queries import one_of
from fangkong.core.scoping import subtree_q
from fangkong.registry.imports.checking import FILLABLE, RowChecker
from fangkong.registry.imports.excel import cell_text
from fangkong.registry.imports.rows import Prepared, RowCheck
from fangkong.registry.models import DocumentType, Person, Whereabouts


def _needs_refill(row: RowCheck) -> bool:
    """Matched by document: would the person's own values change a blank cell's meaning?"""
    text = row.text  # the cell texts, looked up directly: this runs for every update
    get = text.get
    if not get("residency") or not get("whereabouts"):
        return True
    existing = row.existing or {}
    if not get("away_from") and existing.get("whereabouts") == Whereabouts.NOT_BACK:
        return True
    return (
        bool(row.document_type)
        and row.document_type != DocumentType.RESIDENT_ID
        and (not get("sex") or not get("birth_date"))
    )


def by_document(indexes: Iterable[str]) -> tuple[Any, Any]:
    """People with these keyed hashes. Naming the types as well lets the database use
    its (document_type, document_index) index instead of scanning it whole."""
    return (
        models.Q(document_type__in=DocumentType.values),
        one_of(Person, "document_index", indexes),
    )


def by_typed_document(documents: Iterable[tuple[str, str]]) -> models.Q:
    """People with these (document type, keyed hash) pairs, one condition per type: the
    index is probed once per hash, not once per hash and type as by_document() does (5
    times the work for the 2,000 hashes of a chunk)."""
    by_type: dict[str, list[str]] = {}
    for kind, index in documents:
        by_type.setdefault(kind, []).append(index)
    return functools.reduce(
        operator.or_,
        (
            models.Q(one_of(Person, "document_index", indexes), document_type=kind)
            for kind, indexes in by_type.items()
        ),
    )


def _joined(values: Iterable[str]) -> str:
    """Keyed hashes (hex) or document types (identifiers) as one comma-separated
    parameter, split by the server (string_to_array): the driver quotes a 2,000-element
    array element by element in Python (5 of the 13 ms of CPU a chunk of matching took)."""
    return ",".join(values)


def people_by_index(indexes: Iterable[str]) -> list[tuple[str, int, str]]:
    """(keyed hash, person id, area path) of the people whose document, of any type, has
    one of these keyed hashes. On PostgreSQL one probe of the unique index per hash and
    type (LATERAL ... LIMIT 1): by_document()'s array condition let the planner, with
    statistics taken before the last import, scan every person of an area for each
    chunk (1.4 s a chunk of landlords on a re-import)."""
    indexes = list(indexes)
    if not indexes:
        return []
    if connection.vendor != "postgresql":
        return [
            (index or "", pk, path)
            for index, pk, path in Person.objects.filter(*by_document(indexes))
            .order_by()
            .values_list("document_index", "id", "area__path")
        ]
    quote = connection.ops.quote_name
    people, areas = quote(Person._meta.db_table), quote(Area._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.document_index, p.id, a.path FROM unnest(%s::text[]) AS t(kind) "  # noqa: S608
            "CROSS JOIN unnest(string_to_array(%s, ',')) AS d(index) CROSS JOIN LATERAL "
            f"(SELECT p.id, p.document_index, p.area_id FROM {people} p WHERE "
            "p.document_type = t.kind AND p.document_index = d.index LIMIT 1) p "
            f"JOIN {areas} a ON a.id = p.area_id",
            [list(DocumentType.values), _joined(indexes)],
        )
        return [(index, pk, path) for index, pk, path in cursor.fetchall()]


def area_map(job_area: Area) -> dict[str, tuple[int | None, str]]:
    """Every code under the job's area → (id, "") or (None, why it cannot take people)."""
    out: dict[str, tuple[int | None, str]] = {}
    for area in Area.objects.filter(subtree_q("path", job_area.path)):
        if area.kind not in LIVING_KINDS:
            out[area.code] = (
                None,
                f"“{area.name}”是{area.get_kind_display()}，人员须登记到社区、村或片区",
            )
        elif area.retired_on is not None:
            out[area.code] = (None, f"“{area.name}”已撤销")
        else:
            out[area.code] = (area.pk, "")
    return out


_FIELDS: Final = ("id", "document_type", "document_index", "merged_into_id", *FILLABLE)


@dataclass
class Matcher:
    """The database's part of checking, a chunk at a time: people by 人员编号, by
    document, landlords; and duplicates within the sheet."""

    checker: RowChecker
    scope_path: str
    # In-file duplicates: the first 16 hex digits of a document's keyed hash → its row
    # (negative when that row was refused); a small int each, 1,000,000 rows fit easily.
    seen_documents: dict[int, int] = field(default_factory=dict)
    seen_people: dict[int, int] = field(default_factory=dict)

    def existing(self, lines: list[tuple[int, list[Any]]]) -> dict[int, dict[str, Any] | str]:
        """The people named in the chunk's 人员编号 column, within scope."""
        position = self.checker.index.get("id")
        if position is None:
            return {}
        ids = set()
        for _, cells in lines:
            value = cells[position] if position < len(cells) else ""
            text = cell_text(value)
            if text.isdigit():
                ids.add(int(text))
        out: dict[int, dict[str, Any] | str] = {}
        people = self._people((one_of(Person, "id", ids),), visible=True) if ids else {}
        for pk, person in people.items():
            merged = person["merged_into_id"]
            out[pk] = f"人员编号 {pk} 已合并到 {merged}，请改用后者" if merged else person
        return out

    def finish(self, rows: list[RowCheck]) -> None:
        """After the per-row checks: match by document, landlords, duplicates."""
        documents = {
            (r.document_type, r.document_index) for r in rows if r.document_index and not r.problems
        }
        people = self._by_documents(documents) if documents else {}
        matches = {p["document_index"]: p for p in people.values()}
        for row in rows:
            found = matches.get(row.document_index) if row.document_index else None
            if found is None or row.problems:
                continue
            if row.person_id is not None:
                if found["id"] != row.person_id:
                    row.add("document_number", f"该证件号码已登记为人员编号 {found['id']}")
            elif not found["path"].startswith(self.scope_path):
                row.add("document_number", "该证件号码已在您辖区以外登记，请联系其所在社区")
            elif found["merged_into_id"]:
                row.add("document_number", f"该证件号码属于已合并的人员 {found['id']}")
            else:  # matched by document: an update, and blank cells keep its values
                row.person_id, row.existing = found["id"], found
                if _needs_refill(row):
                    row.clean = None
                    self.checker.clean(row)
                    row.prepared = (
                        self.checker.prepared(row) if row.clean and not row.problems else None
                    )
                elif (prepared := row.prepared) is not None:
                    # prepared._replace(person_id=…), without its generic machinery
                    row.prepared = Prepared._make((prepared[0], found["id"], *prepared[2:]))
        self._check_landlords(rows)
        self._check_duplicates(rows)

    def _people(self, conditions: tuple[Any, ...], *, visible: bool) -> dict[int, dict[str, Any]]:
        # The scope is applied here, not in SQL: with the area's path in the query the
        # planner, whose statistics predate the rows this import is writing, may walk
        # every person of the area for each chunk instead of probing the few asked for.
        rows = (
            Person.objects.filter(*conditions)
            .order_by()
            .values(
                "id",
                "document_type",
                "document_index",
                "merged_into_id",
                *FILLABLE,
                path=models.F("area__path"),
            )
        )
        scope = self.scope_path
        return {r["id"]: dict(r) for r in rows if not visible or r["path"].startswith(scope)}

    def _by_documents(self, documents: set[tuple[str, str]]) -> dict[int, dict[str, Any]]:
        """People with these (document type, keyed hash) pairs, in any area. On
        PostgreSQL one probe of the unique index per pair (LATERAL ... LIMIT 1, which the
        planner keeps as such): with an array condition and statistics taken before the
        last import, it may scan every person and compare each with the whole array."""
        if connection.vendor != "postgresql":
            return self._people((by_typed_document(documents),), visible=False)
        quote = connection.ops.quote_name
        people, areas = quote(Person._meta.db_table), quote(Area._meta.db_table)
        columns = ", ".join(f"p.{quote(name)}" for name in _FIELDS)
        kinds, indexes = zip(*documents, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns}, a.path FROM unnest(string_to_array(%s, ','), "  # noqa: S608
                "string_to_array(%s, ',')) AS d(kind, index) CROSS JOIN LATERAL (SELECT * "
                f"FROM {people} p WHERE p.document_type = d.kind AND p.document_index = "
                f"d.index LIMIT 1) p JOIN {areas} a ON a.id = p.area_id",
                [_joined(kinds), _joined(indexes)],
            )
            names = (*_FIELDS, "path")
            # fetchall(): the rows converted in one call, not one call each
            return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}

    def _check_landlords(self, rows: list[RowCheck]) -> None:
        wanted = {r.landlord_index for r in rows if r.landlord_index and r.person_id}
        if not wanted:
            return
        scope = self.scope_path
        found = {index: pk for index, pk, path in people_by_index(wanted) if path.startswith(scope)}
        for row in rows:
            if row.landlord_index and found.get(row.landlord_index) == row.person_id:
                row.add("landlord_document", "房东不能是本人")

    def _check_duplicates(self, rows: list[RowCheck]) -> None:
        for row in rows:
            key = int(row.document_index[:16], 16) if row.document_index else None
            if key is not None:
                first = self.seen_documents.get(key)
                if first is not None:
                    row.add("document_number", f"与第 {abs(first)} 行证件号码重复")
            if row.person_id:
                first = self.seen_people.get(row.person_id)
                if first is not None:
                    row.add("id", f"与第 {first} 行是同一人")
                else:
                    self.seen_people[row.person_id] = row.number
            if key is not None and key not in self.seen_documents:
                self.seen_documents[key] = -row.number if row.problems else row.number

    def landlord_in_file(self, index: str) -> bool:
        first = self.seen_documents.get(int(index[:16], 16))
        return first is not None and first > 0

    def landlord_in_db(self, indexes: set[str]) -> set[str]:
        scope = self.scope_path
        return {index for index, _, path in people_by_index(indexes) if path.startswith(scope)}
