"""The gate check (门岗查验), the hot path: tens of millions a day at peak, from cheap phones.

One check costs two statements and no more:

1. ONE SELECT: the pass (by QR token or typed number) or the person (by document number,
   through the blind index) with all their passes, the holder's name, their active
   observation and whether a notice of theirs says "not yet" (暂缓返京);
2. ONE ``INSERT … ON CONFLICT (check_id) DO NOTHING RETURNING id`` that logs the check,
   admit or deny. Nothing returned means the device sent this check before (a lost reply
   on a bad connection): the first answer is read back and returned, nothing is logged
   twice. Two racing copies of one check meet at the unique index: the second waits for
   the first to commit and then reads its answer.

What the check needs besides that is cached in this process for a short time: the gate
(area, which zones it opens — `GATE_TTL`), the fever threshold of the policy in force
(`POLICY_TTL`), and the caller's token (fangkong.access.auth). A fever adds, in the same
transaction as the log row, an Alert for the gate's area (or a referral when the person is
unknown: an Alert must name someone).

Decision rules (reason codes of DESIGN.md):
* ``fever`` — temperature at or above the policy's fever threshold (either direction);
* ``no_pass`` — no pass found: an unknown or forged token or number, or a person who holds
  none. A forged token is an answer, not an error: the guard sees 禁止通行 · 无出入证 and
  the attempt is logged as a denial;
* ``pass_suspended`` / ``pass_revoked`` / ``pass_expired`` — the pass's state (a replaced
  pass is revoked; a pass past its end date is expired even before the daily job marks it);
* ``wrong_area`` — the pass is for a zone this gate does not open. A gate opening zone Z
  takes passes for Z, for areas under Z, and for areas above Z (a community-wide pass);
* ``under_observation`` — leaving (``out``) while under observation. Not a pass status: it
  is derived from the active observation, so release restores exit at once;
* ``must_not_return_yet`` — entering (``in``) while a notice of theirs says 暂缓返京.
"""

# Table and column names below come from model metadata; values are always bound.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.access.models import (
    CheckDecision,
    Gate,
    GateCheck,
    GateReferral,
    Pass,
    PassStatus,
    Reason,
    ReferralKind,
)
from fangkong.areas.models import Area
from fangkong.arrivals.health.services import alert_raise_at_gate
from fangkong.arrivals.models import (
    ArrivalNotice,
    NoticePerson,
    NoticeStatus,
    Observation,
    ObservationStatus,
)
from fangkong.core.errors import Conflict
from fangkong.policy.selectors import fever_threshold_on
from fangkong.registry.models import Person

GATE_TTL = 60.0  # seconds a gate's area and zones stay cached in a process
POLICY_TTL = 60.0  # seconds the fever threshold stays cached
DEFAULT_FEVER = Decimal("37.3")  # when no policy is in force (MISSION.md: ≥ 37.3 °C)
NIGHT_START, NIGHT_END = 22, 6  # night checks: 22:00–06:00 local time


@dataclass(frozen=True, slots=True)
class GateInfo:
    id: int
    name: str
    area_id: int
    area_path: str
    opens: tuple[str, ...]  # paths of the zones it admits to
    active: bool

    def visible_to(self, scope_path: str | None) -> bool:
        """`scope_path` None: the account sees everything (a system admin)."""
        return scope_path is None or self.area_path.startswith(scope_path)

    def opens_pass_of(self, path: str) -> bool:
        return any(o.startswith(path) or path.startswith(o) for o in self.opens)


_lock = threading.Lock()
_gates: dict[int, tuple[float, GateInfo | None]] = {}
_policy: list[Any] = []  # [(date, expires, threshold)]


def gate_info(gate_id: int) -> GateInfo | None:
    """The gate, from this process's cache (at most `GATE_TTL` seconds old)."""
    now = time.monotonic()
    hit = _gates.get(gate_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    info = _load_gate(gate_id)
    with _lock:
        if len(_gates) > 10_000:
            _gates.clear()
        _gates[gate_id] = (now + GATE_TTL, info)
    return info


def _load_gate(gate_id: int) -> GateInfo | None:
    gate = Gate.objects.select_related("area").filter(pk=gate_id).first()
    if gate is None:
        return None
    opens = tuple(gate.opens.values_list("path", flat=True)) or (gate.area.path,)
    return GateInfo(gate.pk, gate.name, gate.area_id, gate.area.path, opens, gate.active)


def caches_clear() -> None:
    """Forget cached gates and policy (after a gate is edited here; in tests)."""
    with _lock:
        _gates.clear()
        _policy.clear()


def fever_threshold(today: dt.date) -> Decimal:
    now = time.monotonic()
    if _policy and _policy[0][0] == today and _policy[0][1] > now:
        return Decimal(_policy[0][2])
    value = fever_threshold_on(today)
    threshold = value if value is not None else DEFAULT_FEVER
    with _lock:
        _policy[:] = [(today, now + POLICY_TTL, threshold)]
    return Decimal(threshold)


# --- the one SELECT -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Found:
    """One row of the lookup: a pass (or none) of one person (or none)."""

    pass_id: int | None
    status: str | None
    valid_until: dt.date | None
    pass_path: str | None
    person_id: int | None
    name: str | None
    observation_id: int | None
    must_delay: bool


_sql: dict[str, str] = {}


def _q(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _lookup_sql(by: str) -> str:
    key = f"{connection.vendor}:{by}"
    if key in _sql:
        return _sql[key]
    passes, people, areas = (_q(m._meta.db_table) for m in (Pass, Person, Area))
    obs, notices, notice_people = (
        _q(m._meta.db_table) for m in (Observation, ArrivalNotice, NoticePerson)
    )
    person_extras = f"""
        (SELECT o.id FROM {obs} o WHERE o.person_id = pe.id AND o.status = %s LIMIT 1),
        EXISTS (SELECT 1 FROM {notice_people} np JOIN {notices} n ON n.id = np.notice_id
                WHERE np.person_id = pe.id AND n.status = %s)"""
    if by == "document":
        sql = f"""
            SELECT p.id, p.status, p.valid_until, a.path, pe.id, pe.name, {person_extras}
            FROM {people} pe
            LEFT JOIN {passes} p ON p.person_id = pe.id
            LEFT JOIN {areas} a ON a.id = p.area_id
            WHERE pe.document_type = %s AND pe.document_index = %s
              AND pe.merged_into_id IS NULL"""
    else:
        column = "token" if by == "token" else "number"
        sql = f"""
            SELECT p.id, p.status, p.valid_until, a.path, pe.id, pe.name, {person_extras}
            FROM {passes} p
            JOIN {areas} a ON a.id = p.area_id
            JOIN {people} pe ON pe.id = p.person_id
            WHERE p.{column} = %s"""
    _sql[key] = sql
    return sql


def run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Execute one statement of the hot path and return its rows.

    On PostgreSQL the statement is sent with server-side binding and prepared once per
    connection (persistent connections, CONN_MAX_AGE): planning the lookup's four-table
    join costs about 0.75 ms, four times its execution, and the plan never changes. (Behind
    a transaction-pooling PgBouncer older than 1.21, set `PREPARE = False`.) The
    statement is still recorded in `connection.queries` when queries are being logged
    (DEBUG, CaptureQueriesContext), like every other query."""
    db = connections[DEFAULT_DB_ALIAS]  # one lookup, not one per attribute of `connection`
    if db.vendor != "postgresql":
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    import psycopg

    db.ensure_connection()
    raw = db.connection
    if PREPARE and raw.prepare_threshold is None:
        # Django turns automatic preparation off (None disables `prepare=True` as well);
        # a threshold nothing reaches leaves Django's own queries unprepared.
        raw.prepare_threshold = 2**31 - 1
    started = time.monotonic()
    with db.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=PREPARE)
        # rownumber is None when there are no rows to fetch; unlike `description` it
        # builds no column objects.
        rows = cursor.fetchall() if cursor.rownumber is not None else []
    if db.queries_logged:
        db.queries_log.append(
            {"sql": f"{sql} -- {params!r}", "time": f"{time.monotonic() - started:.3f}"}
        )
    return rows


PREPARE = True
# Off: every check is committed durably ("every check is logged"). On trades the last few
# hundred milliseconds of routine log rows on a database crash for throughput.
ASYNC_COMMIT = False


def lookup(*, by: str, value: str, document_type: str = "") -> list[Found]:
    """The rows for a token, a pass number or (document type, blind index)."""
    params: list[Any] = [str(ObservationStatus.ACTIVE), str(NoticeStatus.MUST_DELAY)]
    params += [document_type, value] if by == "document" else [value]
    rows = run(_lookup_sql(by), params)
    return [
        Found(
            r[0],
            r[1],
            dt.date.fromisoformat(r[2]) if isinstance(r[2], str) else r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            bool(r[7]),
        )
        for r in rows
    ]


# --- the decision ---------------------------------------------------------------------------
_RANK: dict[str, int] = {
    PassStatus.ACTIVE: 0,
    PassStatus.SUSPENDED: 1,
    PassStatus.EXPIRED: 2,
    PassStatus.REVOKED: 3,
}


@dataclass(frozen=True, slots=True)
class Decided:
    decision: str
    reasons: tuple[str, ...]
    found: Found | None  # the row the decision rests on (its pass, its person)


def _best(rows: list[Found]) -> Found:
    return min(rows, key=lambda r: (_RANK.get(r.status or "", 9), -(r.pass_id or 0)))


def decide(
    *,
    rows: list[Found],
    gate: GateInfo,
    direction: str,
    temperature: Decimal,
    threshold: Decimal,
    today: dt.date,
) -> Decided:
    reasons: list[str] = []
    if temperature >= threshold:
        reasons.append(Reason.FEVER)
    passes = [r for r in rows if r.pass_id is not None]
    matching = [r for r in passes if r.pass_path and gate.opens_pass_of(r.pass_path)]
    chosen = _best(matching or passes) if passes else (rows[0] if rows else None)
    if chosen is None or chosen.pass_id is None:
        reasons.append(Reason.NO_PASS)
    else:
        if chosen.status == PassStatus.SUSPENDED:
            reasons.append(Reason.PASS_SUSPENDED)
        elif chosen.status == PassStatus.REVOKED:
            reasons.append(Reason.PASS_REVOKED)
        elif chosen.status == PassStatus.EXPIRED or (
            chosen.valid_until is not None and chosen.valid_until < today
        ):
            reasons.append(Reason.PASS_EXPIRED)
        if not matching:
            reasons.append(Reason.WRONG_AREA)
    if chosen is not None and chosen.person_id is not None:
        if direction == "out" and chosen.observation_id is not None:
            reasons.append(Reason.UNDER_OBSERVATION)
        if direction == "in" and chosen.must_delay:
            reasons.append(Reason.MUST_NOT_RETURN_YET)
    decision = CheckDecision.DENY if reasons else CheckDecision.ADMIT
    return Decided(str(decision), tuple(str(r) for r in reasons), chosen)


# --- the one INSERT -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CheckInput:
    check_id: uuid.UUID
    gate_id: int
    direction: str
    temperature: Decimal
    pass_token: str = ""
    pass_number: str = ""
    document_type: str = ""
    document_index: str = ""  # blind index of the typed document number
    plate: str = ""


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    check_id: uuid.UUID
    decision: str
    reasons: tuple[str, ...]
    person_name: str | None  # masked: 张**
    person_id: int | None
    pass_id: int | None
    created: bool  # False: the answer first given to this check_id


def masked(name: str | None) -> str | None:
    if not name:
        return None
    return name[:1] + "*" * max(len(name) - 1, 1)


_COLUMNS = (
    "check_id, gate_id, area_id, gate_pass_id, person_id, direction, temperature, "
    "decision, reasons, plate, guard_id, at"
)
_TYPES = (
    "uuid, bigint, bigint, bigint, bigint, varchar, numeric, varchar, varchar, varchar, "
    "bigint, timestamptz"
)


def _insert_sql(*, durable: bool) -> str:
    """The INSERT of the log row. On PostgreSQL a check that raises nothing (no fever)
    commits asynchronously — `set_config('synchronous_commit', 'off', true)` inside the
    statement itself, so it costs no round trip and touches nothing else on the
    connection: the row is visible and the database consistent at once, and only a crash
    of the database server in the next few hundred milliseconds (3 × wal_writer_delay)
    could lose it. That is the trade-off PostgreSQL documents for high-volume logging,
    and it is taken here for routine checks only; a fever (with its alert) commits
    durably (`durable=True`)."""
    key = f"{connection.vendor}:insert:{durable}"
    if key not in _sql:
        table = _q(GateCheck._meta.db_table)
        if connection.vendor == "postgresql" and not durable:
            values = ", ".join(f"%s::{t.strip()}" for t in _TYPES.split(","))
            _sql[key] = (
                f"INSERT INTO {table} ({_COLUMNS}) SELECT {values} "
                "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit "
                "ON CONFLICT (check_id) DO NOTHING RETURNING id"
            )
        else:
            marks = ", ".join(["%s"] * len(_COLUMNS.split(",")))
            _sql[key] = (
                f"INSERT INTO {table} ({_COLUMNS}) VALUES ({marks}) "
                "ON CONFLICT (check_id) DO NOTHING RETURNING id"
            )
    return _sql[key]


def _first_answer(check_id: uuid.UUID, gate: GateInfo) -> CheckOutcome:
    checks, people = _q(GateCheck._meta.db_table), _q(Person._meta.db_table)
    rows = run(
        f"""SELECT c.gate_id, c.decision, c.reasons, pe.name, c.person_id, c.gate_pass_id
            FROM {checks} c LEFT JOIN {people} pe ON pe.id = c.person_id
            WHERE c.check_id = %s""",
        [_uuid_param(check_id)],
    )
    row = rows[0] if rows else None
    if row is None:  # the row was rolled back between our INSERT and this SELECT
        raise Conflict("check_id", _("该查验正在处理中，请稍后重试"), code="in_progress")
    if row[0] != gate.id:
        raise Conflict("check_id", _("该查验编号已用于另一个门岗的查验"), code="check_id_used")
    reasons = tuple(r for r in row[2].split(",") if r)
    return CheckOutcome(check_id, row[1], reasons, masked(row[3]), row[4], row[5], False)


def _uuid_param(value: uuid.UUID) -> Any:
    return value if connection.vendor == "postgresql" else value.hex


def gate_check(
    *, guard_id: int | None, gate: GateInfo, data: CheckInput, now: dt.datetime | None = None
) -> CheckOutcome:
    """Decide and log one check. The caller has validated the input and made sure the
    guard may use `gate` (fangkong.access.api)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if data.pass_token:
        rows = lookup(by="token", value=data.pass_token)
    elif data.pass_number:
        rows = lookup(by="number", value=data.pass_number)
    else:
        rows = lookup(by="document", value=data.document_index, document_type=data.document_type)
    decided = decide(
        rows=rows,
        gate=gate,
        direction=data.direction,
        temperature=data.temperature,
        threshold=fever_threshold(today),
        today=today,
    )
    found = decided.found
    person_id = found.person_id if found else None
    pass_id = found.pass_id if found else None
    params = [
        _uuid_param(data.check_id),
        gate.id,
        gate.area_id,
        pass_id,
        person_id,
        data.direction,
        data.temperature,
        decided.decision,
        ",".join(decided.reasons),
        data.plate,
        guard_id,
        connection.ops.adapt_datetimefield_value(now),
    ]
    fever = Reason.FEVER in decided.reasons
    # One statement commits by itself; a fever writes its alert in the same transaction.
    with transaction.atomic() if fever else nullcontext():
        returned = run(_insert_sql(durable=fever or ASYNC_COMMIT is False), params)
        inserted = returned[0] if returned else None
        if inserted is not None and fever:
            _raise_fever(gate, found, data, check_pk=inserted[0], guard_id=guard_id)
    if inserted is None:
        return _first_answer(data.check_id, gate)
    return CheckOutcome(
        data.check_id,
        decided.decision,
        decided.reasons,
        masked(found.name if found else None),
        person_id,
        pass_id,
        True,
    )


def _raise_fever(
    gate: GateInfo, found: Found | None, data: CheckInput, *, check_pk: int, guard_id: int | None
) -> None:
    """A fever at a gate alerts the medical staff of the gate's area at once."""
    detail = f"门岗测温：{gate.name}，{'进' if data.direction == 'in' else '出'}"
    if found is not None and found.person_id is not None:
        alert_raise_at_gate(
            area_id=gate.area_id,
            person_id=found.person_id,
            observation_id=found.observation_id,
            temperature=data.temperature,
            detail=detail,
        )
        return
    GateReferral.objects.create(
        area_id=gate.area_id,
        gate_check_id=check_pk,
        gate_id=gate.id,
        kind=ReferralKind.FEVER,
        note=f"{detail}，体温 {data.temperature}°C，无出入证、身份不明",
        created_by_id=guard_id,
    )
