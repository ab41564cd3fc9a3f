"""Scanning a sheet: its rows in chunks through the checks (in worker processes for a
big sheet), refused rows to the error report, the first rows to a masked preview, the
others to a sink — a spool file for the background job, the writer itself for the
command line's single pass."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Protocol

from django.db import connection, connections
from django.utils import translation

from fangkong.areas.models import Area
from fangkong.core.identity import mask_document, mask_phone
from fangkong.registry.imports import checking
from fangkong.registry.imports.checking import (
    ERROR_LIST_MAX,
    PREVIEW_ROWS,
    PROGRESS_EVERY,
    RowChecker,
)
from fangkong.registry.imports.collecting import fewer_collections
from fangkong.registry.imports.excel import HEADER_OF, ErrorReport, Sheet
from fangkong.registry.imports.matching import Matcher, area_map
from fangkong.registry.imports.rows import Prepared, RowCheck
from fangkong.registry.models import ResidenceKind, Whereabouts

_LANDLORD_MISSING: Final = "未在登记中找到：房东须已登记在您的辖区，或在本表中一并登记"


def _preview_entry(row: RowCheck) -> dict[str, Any]:
    """One line of the preview, with masked numbers only."""
    document, phone = row.get("document_number"), row.get("phone")
    prepared = row.prepared if not row.problems else None
    if prepared is not None:
        document = prepared.document[2] if prepared.document else document * ("*" in document)
        phone = prepared.phone[2] if prepared.phone else phone * ("*" in phone)
    else:
        document = document if "*" in document else (mask_document(document) if document else "")
        phone = phone if "*" in phone else (mask_phone(phone) if phone else "")
    address = " ".join(row.get(k) for k in ("building", "entrance", "room"))
    with translation.override("zh-hans"):
        kind = str(dict(ResidenceKind.choices).get(row.residence_kind, ""))
        whereabouts = (
            str(dict(Whereabouts.choices).get(prepared.whereabouts, ""))
            if prepared
            else row.get("whereabouts")
        )
    return {
        "row": row.number,
        "name": row.get("name"),
        "document": document,
        "phone": phone,
        "area": row.get("area"),
        "address": " ".join(address.split()),
        "kind": kind,
        "whereabouts": whereabouts,
        "action": "error" if row.problems else ("update" if row.person_id else "create"),
        "errors": row.reasons(),
    }


# --- where checked rows go -------------------------------------------------------------
class Sink(Protocol):
    def add(self, rows: list[Prepared]) -> None: ...


class Spool:
    """Checked rows on disk, pickled a chunk at a time (our own file under VAR_DIR), as
    plain tuples: a named tuple pickles at half the speed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")

    def add(self, rows: list[Prepared]) -> None:
        if rows:
            pickle.dump([tuple(r) for r in rows], self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def add_pending(self, rows: list[tuple[Prepared, list[Any]]]) -> None:
        if rows:
            data = [(tuple(r), cells) for r, cells in rows]
            pickle.dump(data, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        self._file.close()


def _chunks(path: Path) -> Iterator[list[Any]]:
    with path.open("rb") as f:
        while True:
            try:
                # Written by Spool above, under VAR_DIR; never a user's file.
                yield pickle.load(f)  # noqa: S301
            except EOFError:
                return


def read_spool(path: Path) -> Iterator[list[Prepared]]:
    make = Prepared._make
    for chunk in _chunks(path):
        yield [make(row) for row in chunk]


def _read_pending(path: Path) -> Iterator[list[tuple[Prepared, list[Any]]]]:
    make = Prepared._make
    for chunk in _chunks(path):
        yield [(make(row), cells) for row, cells in chunk]


# --- checking in several processes -----------------------------------------------------
# clean_person() and the encryption are pure Python and take most of a row's time; for a
# big sheet, worker processes (forked, so they share the loaded code and settings and
# never touch the database) check chunks while this process reads, queries and writes.
PARALLEL_MIN_ROWS: Final = 20_000
_checker: RowChecker | None = None


def _start_worker(checker: RowChecker) -> None:
    global _checker
    _checker = checker


def _rows_in_worker(
    lines: list[tuple[int, list[Any]]], existing: dict[int, dict[str, Any] | str]
) -> list[tuple[Any, ...]]:
    assert _checker is not None
    return [row.travel() for row in _checker.rows(lines, existing)]


@dataclass
class _Back:
    """Checked rows coming back from a worker, rejoined with their cells."""

    future: Any
    lines: list[tuple[int, list[Any]]]
    existing: dict[int, dict[str, Any] | str]

    index: dict[str, int]

    def result(self) -> list[RowCheck]:
        rows = []
        for (number, cells), outcome in zip(self.lines, self.future.result(), strict=True):
            row = RowCheck.back(number, cells, self.index, outcome)
            if row.person_id is not None:
                found = self.existing.get(row.person_id)
                row.existing = found if isinstance(found, dict) else None
            rows.append(row)
        return rows


def _parallelism(estimated_rows: int, workers: int | None) -> int:
    """Processes checking rows. Automatically only for a big sheet on a machine with 4
    CPUs or more: on two, the second one is busy with the database's side of the
    writing, and the worker's copies cost more than they save (measured in bench/)."""
    if workers is not None:
        return max(1, workers)
    cpus = os.cpu_count() or 1
    if estimated_rows < PARALLEL_MIN_ROWS or cpus < 4:
        return 1
    return min(4, cpus - 2)


@contextlib.contextmanager
def _checking(checker: RowChecker, workers: int) -> Iterator[Callable[..., Any]]:
    """submit(lines, existing) → a future of checked rows; inline with one worker."""
    if workers <= 1:
        yield lambda lines, existing: _Done(checker.rows(lines, existing))
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(checker,),
    )
    try:
        # Fork every worker now, before any other thread of this process exists.
        list(pool.map(_rows_in_worker, [[]] * workers, [{}] * workers))
        yield lambda lines, existing: _Back(
            pool.submit(_rows_in_worker, lines, existing), lines, existing, checker.index
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class _Done:
    value: list[RowCheck]

    def result(self) -> list[RowCheck]:
        return self.value


def _may_overlap() -> bool:
    """Whether the database's part of the checks may run on a connection of its own:
    PostgreSQL outside any transaction (a test's transaction is not seen from another
    connection; SQLite gains nothing, its queries take no time to wait for)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


@contextlib.contextmanager
def _finishing(finish: Callable[[list[RowCheck]], None]) -> Iterator[Callable[..., None]]:
    """finished(rows) → finish(rows), chunk after chunk in sheet order. Where it may, in
    one thread of its own: its queries (people by document, landlords) wait for the
    server, ~100 ms a chunk on a re-import, while this thread reads and checks the next
    chunk. At most two chunks wait for it; its errors come back here."""
    if not _may_overlap():
        yield finish
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fangkong-import-match")
    waiting: deque[Future[None]] = deque()
    try:

        def finished(rows: list[RowCheck]) -> None:
            while waiting and (waiting[0].done() or len(waiting) >= 2):
                waiting.popleft().result()
            waiting.append(pool.submit(finish, rows))

        yield finished
        while waiting:
            waiting.popleft().result()
    finally:
        for future in waiting:
            future.cancel()
        pool.submit(connections.close_all)  # the thread's own connection
        pool.shutdown(wait=True)


@dataclass
class ScanResult:
    total: int = 0
    valid: int = 0
    preview: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


def scan(
    *,
    job_area: Area,
    scope_path: str,
    sheet: Sheet,
    sink: Sink,
    pending_path: Path,
    report: ErrorReport,
    today: dt.date,
    progress: Callable[[int, int], None],
    workers: int | None = None,
    started: Callable[[], None] | None = None,
) -> ScanResult:
    """Check every row of the sheet: refused rows go to the report, the others to `sink`
    in sheet order — except tenants whose landlord comes further down, who follow at the
    end once he has been seen. `started` runs once the worker processes exist."""
    checker = RowChecker(
        area_name=job_area.name, today=today, areas=area_map(job_area), index=sheet.index
    )
    matcher = Matcher(checker=checker, scope_path=scope_path)
    result = ScanResult()
    pending = Spool(pending_path)
    waiting: dict[int, str] = {}  # row → landlord's document hash
    last_reported = 0

    def add_error(entries: list[dict[str, Any]]) -> None:
        room = ERROR_LIST_MAX - len(result.errors)
        if room > 0:
            result.errors.extend(entries[:room])

    def finish(rows: list[RowCheck]) -> None:
        nonlocal last_reported
        matcher.finish(rows)
        unresolved = {
            r.landlord_index
            for r in rows
            if r.landlord_index
            and not r.problems
            and not matcher.landlord_in_file(r.landlord_index)
        }
        in_db = matcher.landlord_in_db(unresolved) if unresolved else set()
        ready: list[Prepared] = []
        later: list[tuple[Prepared, list[Any]]] = []
        for row in rows:
            if row.problems or row.prepared is None:
                report.add(row.number, row.cells, row.reason_text())
                add_error(row.reasons())
            elif row.landlord_index in unresolved and row.landlord_index not in in_db:
                waiting[row.number] = str(row.landlord_index)
                later.append((row.prepared, row.cells))
            else:
                ready.append(row.prepared)
            if len(result.preview) < PREVIEW_ROWS:
                result.preview[row.number] = _preview_entry(row)
        result.valid += len(ready) + len(later)
        result.total += len(rows)
        sink.add(ready)
        pending.add_pending(later)
        if result.total - last_reported >= PROGRESS_EVERY:
            last_reported = result.total
            progress(result.total, sheet.estimated_rows)

    count = _parallelism(sheet.estimated_rows, workers)
    try:
        with (
            fewer_collections(),
            _checking(checker, count) as submit,
            _finishing(finish) as finished,
        ):
            if started:  # the writer process, forked with the collector as set above
                started()
            in_flight: deque[Any] = deque()
            lines: list[tuple[int, list[Any]]] = []
            for line in sheet.rows():
                lines.append(line)
                if len(lines) >= checking.CHUNK:  # read at run time: tests make it small
                    in_flight.append(submit(lines, matcher.existing(lines)))
                    lines = []
                    while len(in_flight) > count:
                        finished(in_flight.popleft().result())
            if lines:
                in_flight.append(submit(lines, matcher.existing(lines)))
            while in_flight:
                finished(in_flight.popleft().result())
        pending.close()
        if waiting:
            for chunk in _read_pending(pending.path):
                ready = []
                for prepared, cells in chunk:
                    if matcher.landlord_in_file(waiting[prepared.row]):
                        ready.append(prepared)
                        continue
                    result.valid -= 1
                    column = HEADER_OF["landlord_document"]
                    report.add(prepared.row, cells, f"{column}：{_LANDLORD_MISSING}")
                    entry = {"row": prepared.row, "column": column, "reason": _LANDLORD_MISSING}
                    add_error([entry])
                    if prepared.row in result.preview:
                        result.preview[prepared.row]["action"] = "error"
                        result.preview[prepared.row]["errors"].append(entry)
                sink.add(ready)
    finally:
        pending.close()
        pending.path.unlink(missing_ok=True)
    result.errors.sort(key=lambda e: e["row"])
    progress(result.total, result.total)
    return result
