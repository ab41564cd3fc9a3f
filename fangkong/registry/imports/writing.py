"""Writing checked rows: new people in one COPY (executemany on SQLite), updates through
a temporary table, addresses and homes in bulk — chunk after chunk inside the caller's
single transaction. And the command line's pipeline: a second connection, in a writer
process of its own, writing each chunk while the next one is checked."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import queue
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import connection, connections, models, transaction
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.core.queries import one_of
from fangkong.registry.imports.checking import CHUNK, PROGRESS_EVERY
from fangkong.registry.imports.matching import people_by_index
from fangkong.registry.imports.rows import Prepared
from fangkong.registry.models import Address, ImportJob, Person, Residence, ResidenceKind
from fangkong.units.services import units_get_or_register_many


class ImportFailed(Exception):
    """The import cannot go on; the message says why, in Chinese, for the job page."""


class Bulk:
    """Raw bulk writes inside the import's transaction: COPY on PostgreSQL, executemany on
    SQLite. Django's bulk_create spends ~300 µs a row here building model instances and
    one huge statement; these take a few. No signals fire: the registry uses none."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.quote = connection.ops.quote_name
        self._sequences: dict[str, str] = {}

    def check_keys_per_statement(self) -> None:
        """For the rest of the transaction. Foreign keys are DEFERRABLE INITIALLY
        DEFERRED: left so, their checks (several per row) would all run at COMMIT, after
        the last row, with nothing to overlap (the pipeline's parent checks the next
        chunk meanwhile) and outside insert()'s choice of plan. Each chunk refers only
        to rows already written (landlords further down wait for Writer.finish())."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        """`count` new primary keys, reserved before the rows are written."""
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                if table not in self._sequences:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                    self._sequences[table] = cursor.fetchone()[0]
                # The sequence named once: pg_get_serial_sequence() inside the series
                # would look it up in the catalog again for every id (14 times slower).
                cursor.execute(
                    "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                    [self._sequences[table], count],
                )
                return [r[0] for r in cursor.fetchall()]
            # SQLite: the import holds the only write transaction; the next ids are ours.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {self.quote(table)}")  # noqa: S608
            start = int(cursor.fetchone()[0]) + 1
            return list(range(start, start + count))

    def _column(self, model: type[models.Model], name: str) -> str:
        column = getattr(model._meta.get_field(name), "column", None)
        assert isinstance(column, str), name
        return self.quote(column)

    @staticmethod
    def _types(model: type[models.Model], fields: Iterable[str]) -> list[str]:
        """PostgreSQL's names of the columns' types (a foreign key's is its target's),
        without modifiers: varchar(50) → varchar."""
        names = []
        for name in fields:
            field = model._meta.get_field(name)
            assert isinstance(field, models.Field), name
            names.append(str(field.db_type(connection)).split("(")[0])
        return names

    def _columns(self, model: type[models.Model], fields: Iterable[str]) -> str:
        return ", ".join(self._column(model, f) for f in fields)

    def _adapt(self, rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        ops = connection.ops
        out = []
        for row in rows:
            out.append(
                tuple(
                    ops.adapt_datetimefield_value(v)
                    if isinstance(v, dt.datetime)
                    else ops.adapt_datefield_value(v)
                    if isinstance(v, dt.date)
                    else v
                    for v in row
                )
            )
        return out

    def insert(
        self, model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        table, columns = self.quote(model._meta.db_table), self._columns(model, fields)
        with connection.cursor() as cursor:
            if self.postgres:
                # The new rows' foreign keys are checked by queries the server plans
                # once per connection, at the first check, from the statistics of that
                # moment. For a table small then (a first import's addresses, areas never
                # analysed) it chose to read the whole table at every check, and kept
                # doing so as the import filled it: 2.5 s of 100,000 residences' 3.8 s
                # (bench/registry_import). Each check looks one row up by its key, so
                # the index is the right way in; this holds for these statements only.
                cursor.execute("SET LOCAL enable_seqscan = off")
                # Binary: the server takes each value as it is stored instead of parsing
                # its text (two time stamps, a date and two hex-encoded ciphers a person).
                with cursor.cursor.copy(
                    f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
                ) as copy:
                    copy.set_types(self._types(model, fields))
                    for row in rows:
                        copy.write_row(row)
                cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    self._adapt(rows),
                )

    def update(
        self,
        model: type[models.Model],
        fields: list[str],
        rows: list[tuple[Any, ...]],
        *,
        compare: Iterable[str] = (),
    ) -> None:
        """rows: (id, *values in `fields` order). `compare`: the fields that say whether
        a row changes; a row equal to the stored one in all of them is left as it is (no
        new row version, no index entries: a re-imported sheet mostly repeats what is
        stored, and rewriting each person cost ~250 µs of the server's time)."""
        if not rows:
            return
        meta = model._meta
        table = self.quote(meta.db_table)
        names = [self._column(model, f) for f in fields]
        same = [self._column(model, f) for f in compare]
        with connection.cursor() as cursor:
            if self.postgres:
                temp = self.quote(f"import_{uuid.uuid4().hex[:12]}")
                cursor.execute(
                    f"CREATE TEMP TABLE {temp} AS SELECT id, {', '.join(names)} "  # noqa: S608
                    f"FROM {table} WITH NO DATA"
                )
                with cursor.cursor.copy(f"COPY {temp} (id, {', '.join(names)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                assignments = ", ".join(f"{n} = t.{n}" for n in names)
                changed = ""
                if same:
                    stored = ", ".join(f"{table}.{n}" for n in same)
                    changed = (
                        f" AND ({stored}) IS DISTINCT FROM ({', '.join(f't.{n}' for n in same)})"
                    )
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM {temp} t "  # noqa: S608
                    f"WHERE {table}.id = t.id{changed}"
                )
                cursor.execute(f"DROP TABLE {temp}")
            else:
                assignments = ", ".join(f"{n} = %s" for n in names)
                changed = ""
                if same:  # SQLite's IS: equality that holds for two NULLs too
                    changed = " AND NOT (" + " AND ".join(f"{n} IS %s" for n in same) + ")"
                    position = [fields.index(f) + 1 for f in compare]
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE id = %s{changed}",  # noqa: S608
                    self._adapt(
                        (*row[1:], row[0], *(row[i] for i in position))
                        if same
                        else (*row[1:], row[0])
                        for row in rows
                    ),
                )


_PERSON_BASE = [
    "area",
    "name",
    "sex",
    "birth_date",
    "residency",
    "whereabouts",
    "away_from",
    "updated_at",
]
_PERSON_DOCUMENT = ["document_type", "document_cipher", "document_index", "document_masked"]
_PERSON_PHONE = ["phone_cipher", "phone_index", "phone_masked"]
_PERSON_NOT_COMPARED: Final = frozenset({"updated_at", "document_cipher", "phone_cipher"})
_PERSON_NEW = [
    "id",
    *_PERSON_BASE,
    *_PERSON_DOCUMENT,
    *_PERSON_PHONE,
    "employer",
    "created_by",
    "created_at",
]


_HOME_FIELDS: Final = ("id", "person_id", "address_id", "kind", "landlord_id", "since")


@dataclass
class Writer:
    """Bulk writes for the spool, a chunk at a time."""

    job: ImportJob
    today: dt.date
    scope: str
    progress: Callable[[int, int], None] | None = None
    processed: int = 0
    created: int = 0
    updated: int = 0
    units: dict[str, int] = field(default_factory=dict)
    bulk: Bulk = field(default_factory=Bulk)
    # (row, person id, address id) of tenants whose landlord is not written yet
    deferred: list[tuple[Prepared, int, int]] = field(default_factory=list)
    # Document hash → person id, for every document this import wrote: most landlords
    # are in the same sheet, and asking the database for them cost ~3 s per 100,000 rows.
    written: dict[str, int] = field(default_factory=dict)
    addresses: dict[tuple[int, str, str, str], int] = field(default_factory=dict)

    def write(self, rows: list[Prepared]) -> None:
        now = timezone.now()
        employers = self._employers(rows)
        person_ids = self._people(rows, employers, now)
        addresses = self._addresses(rows)
        self._residences(rows, person_ids, addresses)
        before, self.processed = self.processed, self.processed + len(rows)
        if self.progress and before // PROGRESS_EVERY != self.processed // PROGRESS_EVERY:
            self.progress(self.processed, self.job.valid_rows)

    def _employers(self, rows: list[Prepared]) -> dict[int, int]:
        """Row → unit id, through the units app: a name means the unit of that name that
        serves the job's area; one it does not know becomes a new unit at the row's area.
        Names seen in earlier chunks come from the job's own cache."""
        wanted = {
            r.employer: r.area_id for r in rows if r.employer and r.employer not in self.units
        }
        if wanted:
            areas = Area.objects.in_bulk(set(wanted.values()))
            self.units |= units_get_or_register_many(
                area=self.job.area, wanted={name: areas[pk] for name, pk in wanted.items()}
            )
        return {r.row: self.units[r.employer] for r in rows if r.employer}

    def _people(
        self, rows: list[Prepared], employers: dict[int, int], now: dt.datetime
    ) -> dict[int, int]:
        """Row → person id: new people in one COPY, updates grouped by the fields they
        change (a masked number or a blank employer changes nothing)."""
        creator = self.job.created_by_id
        fresh = [r for r in rows if r.person_id is None]
        new_ids = self.bulk.ids(Person, len(fresh))
        out = {r.row: pk for r, pk in zip(fresh, new_ids, strict=True)}
        inserts = []
        written = self.written
        for r, pk in zip(fresh, new_ids, strict=True):
            if r.document is not None:
                written[r.document[1]] = pk
            document = r.document or (None, None, "")
            phone = r.phone or (None, None, "")
            inserts.append(
                (
                    pk,
                    r.area_id,
                    r.name,
                    r.sex,
                    r.birth_date,
                    r.residency,
                    r.whereabouts,
                    r.away_from,
                    now,
                    r.document_type,
                    *document,
                    *phone,
                    employers.get(r.row),
                    creator,
                    now,
                )
            )
        self.bulk.insert(Person, _PERSON_NEW, inserts)
        self.created += len(inserts)
        groups: dict[tuple[bool, bool, bool], list[tuple[Any, ...]]] = defaultdict(list)
        for r in rows:
            if r.person_id is None:
                continue
            out[r.row] = r.person_id
            values: tuple[Any, ...] = (
                r.person_id,
                r.area_id,
                r.name,
                r.sex,
                r.birth_date,
                r.residency,
                r.whereabouts,
                r.away_from,
                now,
            )
            # What the sheet left blank (or masked) stays as it is.
            if r.document is not None:
                values += (r.document_type, *r.document)
                written[r.document[1]] = r.person_id
            if r.phone is not None:
                values += r.phone
            if r.employer:
                values += (employers[r.row],)
            groups[(r.document is not None, r.phone is not None, bool(r.employer))].append(values)
        for (has_document, has_phone, has_employer), values_list in groups.items():
            fields = list(_PERSON_BASE)
            fields += _PERSON_DOCUMENT if has_document else []
            fields += _PERSON_PHONE if has_phone else []
            fields += ["employer"] if has_employer else []
            # Time stamp and ciphers aside (a cipher differs at each encryption of the
            # same number; its keyed hash does not), an unchanged person stays as stored.
            compare = [f for f in fields if f not in _PERSON_NOT_COMPARED]
            self.bulk.update(Person, fields, values_list, compare=compare)
            self.updated += len(values_list)
        return out

    def _addresses(self, rows: list[Prepared]) -> dict[tuple[int, str, str, str], int]:
        """Every address of the chunk → its id (and those of earlier chunks: a sheet
        repeats its buildings, and each lookup fetched every address of them)."""
        keys = {(r.area_id, r.building, r.entrance, r.room) for r in rows if r.building}
        unknown = keys - self.addresses.keys()
        if unknown:
            found = self._find_addresses(unknown)
            missing = unknown - found.keys()
            if missing:
                self.bulk.insert(Address, ["area", "building", "entrance", "room"], sorted(missing))
                found |= self._find_addresses(missing)
            self.addresses |= found
        return self.addresses

    @staticmethod
    def _find_addresses(
        keys: set[tuple[int, str, str, str]],
    ) -> dict[tuple[int, str, str, str], int]:
        areas = {k[0] for k in keys}
        buildings = {k[1] for k in keys}
        out = {}
        for a, b, e, rm, pk in Address.objects.filter(
            area_id__in=areas, building__in=buildings
        ).values_list("area_id", "building", "entrance", "room", "id"):
            if (a, b, e, rm) in keys:
                out[(a, b, e, rm)] = pk
        return out

    def _residences(
        self,
        rows: list[Prepared],
        person_ids: dict[int, int],
        addresses: dict[tuple[int, str, str, str], int],
    ) -> None:
        homes = [
            (r, person_ids[r.row], addresses[(r.area_id, r.building, r.entrance, r.room)])
            for r in rows
            if r.building  # an update without an address: the home stays as it is
        ]
        self._homes(homes, final=False)

    def _current_homes(self, people: list[int]) -> dict[int, dict[str, Any]]:
        """Person id → its current residence. On PostgreSQL one probe of the unique
        index on current homes per person (a LATERAL subquery with LIMIT 1, which the
        planner cannot turn into a scan): with "person_id = ANY(2,000 ids)" and the
        statistics of a table that was empty at its last ANALYZE, as right after a
        first import, the planner scanned every residence and compared each with the
        whole array, 1.2 s a chunk (a minute for 100,000 updates)."""
        if not self.bulk.postgres:
            return {
                c["person_id"]: c
                for c in Residence.objects.filter(
                    one_of(Residence, "person", people), until__isnull=True
                ).values(*_HOME_FIELDS)
            }
        columns = ", ".join(f"r.{name}" for name in _HOME_FIELDS)
        table = self.bulk.quote(Residence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM unnest(%s::integer[]) AS p(id) "  # noqa: S608
                f"CROSS JOIN LATERAL (SELECT * FROM {table} r "
                "WHERE r.person_id = p.id AND r.until IS NULL LIMIT 1) r",
                [people],
            )
            return {row[1]: dict(zip(_HOME_FIELDS, row, strict=True)) for row in cursor.fetchall()}

    def finish(self) -> None:
        """Tenants whose landlord is written later in the sheet than they are."""
        while self.deferred:
            batch, self.deferred = self.deferred[:CHUNK], self.deferred[CHUNK:]
            self._homes(batch, final=True)

    def _homes(self, homes: list[tuple[Prepared, int, int]], *, final: bool) -> None:
        wanted = {i for r, _, _ in homes if (i := r.landlord_index)}
        landlords: dict[str | None, int] = {i: self.written[i] for i in wanted if i in self.written}
        wanted -= landlords.keys()  # the others were registered before: ask the database
        if wanted:
            # Within scope, checked here rather than in SQL (see Matcher._people).
            for index, pk, path in people_by_index(wanted):
                if path.startswith(self.scope):
                    landlords[index] = pk
        updated = [pid for r, pid, _ in homes if r.person_id]
        current = self._current_homes(updated) if updated else {}
        ends: dict[dt.date, list[int]] = defaultdict(list)
        new: list[tuple[Any, ...]] = []
        for r, pid, address_id in homes:
            cur = current.get(pid)
            landlord_id: int | None = None
            if r.landlord_index:
                landlord_id = landlords.get(r.landlord_index)
                if landlord_id is None:
                    if not final:  # further down the sheet: after the last chunk
                        self.deferred.append((r, pid, address_id))
                        continue
                    raise ImportFailed(f"第 {r.row} 行的房东未找到")
            elif r.keep_landlord and cur is not None:
                landlord_id = cur["landlord_id"]
            if r.residence_kind != ResidenceKind.TENANT:
                landlord_id = None
            if landlord_id == pid:
                raise ImportFailed(f"第 {r.row} 行：房东不能是本人")
            if cur is not None:
                same = cur["address_id"] == address_id and cur["kind"] == r.residence_kind
                if same and (landlord_id == cur["landlord_id"] or not r.landlord_index):
                    continue
                when = r.since or self.today
                ends[max(when, cur["since"] or when)].append(cur["id"])
            new.append((pid, address_id, r.residence_kind, r.since, None, landlord_id))
        for until, ids in ends.items():
            Residence.objects.filter(pk__in=ids).update(until=until)
        self.bulk.insert(
            Residence, ["person", "address", "kind", "since", "until", "landlord"], new
        )


class Pipeline:
    """The command line's single pass on PostgreSQL: a writer process, forked, writes each
    checked chunk inside one transaction of its own connection while this process checks
    the next; the server's work and the writer's own Python overlap the checking.
    Committed only if told so at the end.

    A process rather than a thread: the writer's Python (building rows, COPY framing,
    about 3 s per 100,000 people) held the interpreter lock the checking needed, and the
    two took turns on one core (measured in bench/registry_import). If this process
    dies, the writer notices within a second and exits without committing; its
    connection closes and the server rolls the transaction back."""

    _POLL: Final = 1.0  # seconds between the writer's looks at whether its parent lives

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        context = multiprocessing.get_context("fork")
        self._chunks: Any = context.Queue(maxsize=3)
        self._results: Any = context.SimpleQueue()
        self._process = context.Process(target=self._run, name="fangkong-import", daemon=True)
        self._outcome: tuple[Any, ...] | None = None

    def start(self) -> None:
        self._process.start()

    def _failed_early(self) -> None:
        """The writer stopped before being told to: raise what stopped it. What is still
        in the queue is dropped (waiting to hand it over would hang this process)."""
        if self._outcome is None and not self._results.empty():
            self._outcome = self._results.get()
        self._chunks.cancel_join_thread()
        if self._outcome is not None and self._outcome[0] == "error":
            raise self._outcome[1]
        raise ImportFailed("写入进程意外退出")

    def _send(self, item: Any) -> None:
        while True:
            if not self._process.is_alive() or not self._results.empty():
                self._failed_early()
            try:
                self._chunks.put(item, timeout=0.2)
                return
            except queue.Full:
                continue

    def add(self, rows: list[Prepared]) -> None:
        if rows:  # as plain tuples: a named tuple pickles at half the speed
            self._send([tuple(r) for r in rows])

    def finish(self, *, commit: bool) -> None:
        if self._process.pid is None:  # never started
            return
        try:
            if self._outcome is None:
                self._send(("end", commit))
            while self._outcome is None:
                if not self._results.empty():
                    self._outcome = self._results.get()
                elif not self._process.is_alive():
                    self._failed_early()
                else:
                    time.sleep(0.01)
        finally:
            self._process.join(timeout=60)
            if self._outcome is None or self._outcome[0] == "error":
                self._chunks.cancel_join_thread()
            self._chunks.close()
        if self._outcome[0] == "error":
            raise self._outcome[1]
        _, self.writer.processed, self.writer.created, self.writer.updated = self._outcome

    # --- in the writer process ---------------------------------------------------------
    def _run(self) -> None:
        parent = os.getppid()
        _drop_inherited_connections()
        # The queue's sending end came along with the fork: closed here, so that the
        # parent's death reads as the end of the pipe. Kept open, it let a writer whose
        # parent was killed halfway through handing over a chunk wait for the rest of it
        # forever, its transaction open and its rows' locks held (seen in bench/).
        sending = getattr(self._chunks, "_writer", None)
        if sending is not None:
            sending.close()
        try:
            commit = False
            with transaction.atomic():
                self.writer.bulk.check_keys_per_statement()
                while True:
                    try:
                        item = self._chunks.get(timeout=self._POLL)
                    except queue.Empty:
                        if os.getppid() != parent:  # the parent died: write nothing
                            raise ImportFailed("导入进程已退出") from None
                        continue
                    except (EOFError, OSError):  # the parent died while sending
                        raise ImportFailed("导入进程已退出") from None
                    if isinstance(item, tuple):  # ("end", commit)
                        commit = item[1]
                        break
                    self.writer.write(list(map(Prepared._make, item)))
                if commit:
                    self.writer.finish()
                transaction.set_rollback(not commit)
            w = self.writer
            self._results.put(("done", w.processed, w.created, w.updated))
        except BaseException as exc:  # handed to the parent
            self._results.put(("error", _picklable(exc)))
        finally:
            connection.close()


_inherited: list[Any] = []


def _drop_inherited_connections() -> None:
    """In a forked child: leave the parent's database connections alone. Closing one
    here would end the parent's session on the server, so each is kept (never closed,
    never collected) and Django opens a connection of the child's own when needed."""
    for db in connections.all(initialized_only=True):
        if db.connection is not None:
            _inherited.append(db.connection)
            db.connection = None


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 (bytes made on the line itself)
    except Exception:
        return ImportFailed(f"写入失败：{type(exc).__name__}")
    return exc


def can_pipeline() -> bool:
    # A second connection must see what the first committed and write on its own:
    # PostgreSQL outside any transaction (tests run inside one; SQLite has one writer).
    return connection.vendor == "postgresql" and not connection.in_atomic_block
