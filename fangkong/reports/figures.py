"""The daily figures: what each one means, and how a day's rows are built from the records.

Every figure is counted per area node where its records live (a person's area, an
observation's area, a gate's zone) and summed over a subtree when read
(fangkong.reports.selectors). `build_day` derives a whole day in a handful of grouped
queries — set-based, idempotent — and replaces that day's rows in one transaction.

How each figure is read off dated records, so that a missed day can be rebuilt:
* people — registered before the day ended and not merged into another record;
* not_back — of those, still recorded as not back, or arriving (observation day 1) after
  the day: they were away on it;
* notices / must_delay — advance notices the community confirmed that day (an unannounced
  arrival is not a notice), and those the policy told to wait;
* observing_* — observations (not cancelled) whose day 1 ≤ the day ≤ their last day and
  which had not ended by it; started / released — day 1 is the day, released on the day;
* fevers — fever alerts raised that day (health reports and gate checks);
* missed_reports — call tasks for reports missed that day; calls_open — call tasks raised
  by the day's end and not done by then;
* passes_active / passes_suspended — passes issued by the day's end, not yet expired, and
  not revoked or expired before it ended; suspended when suspended by a worker or while the
  holder was under observation (the gate refuses exit then);
* checks / denials / denials_by_reason / visitors — the gate log and visitor log of the day.

Figures that describe a state (people, not_back, observing, calls_open, passes) follow
records that change later; a day built after it ended is final and keeps them as they were.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.access.models import (
    HELD_STATUSES,
    CheckDecision,
    Gate,
    GateCheck,
    Pass,
    PassStatus,
    Visit,
)
from fangkong.arrivals.models import (
    Alert,
    AlertKind,
    ArrivalNotice,
    CallTask,
    CallTaskStatus,
    Decision,
    NoticeStatus,
    Observation,
    ObservationMode,
    ObservationStatus,
)
from fangkong.core.dates import day_bounds
from fangkong.registry.models import Person, Whereabouts
from fangkong.reports.models import DailyFigures, DayBuild


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any  # lazy Chinese label
    unit: Any
    help: Any  # the one line shown on hover
    group: str  # "people", "arrivals", "observation", "health", "gates"
    stored: bool = True  # False: derived from stored figures when read


FIGURES: list[Figure] = [
    Figure("people", _("登记人数"), _("人"), _("截至当日登记在册的人数"), "people"),
    Figure("not_back", _("未返京"), _("人"), _("登记在册、当日还没有回到北京的人数"), "people"),
    Figure(
        "notices", _("返京报备"), _("份"), _("当日社区确认的提前报备（一份可含多人）"), "arrivals"
    ),
    Figure(
        "must_delay",
        _("暂缓返京"),
        _("份"),
        _("当日确认的报备中，按政策须暂缓返京的份数"),
        "arrivals",
    ),
    Figure(
        "observing",
        _("观察中"),
        _("人"),
        _("当日在 14 天观察期内的人数：居家、单位集中和集中观察点合计"),
        "observation",
        stored=False,
    ),
    Figure("observing_home", _("居家观察"), _("人"), _("当日在家中观察的人数"), "observation"),
    Figure(
        "observing_unit",
        _("单位集中观察"),
        _("人"),
        _("当日在单位宿舍等集中观察的人数"),
        "observation",
    ),
    Figure(
        "observing_site", _("集中观察点"), _("人"), _("当日在政府集中观察点的人数"), "observation"
    ),
    Figure(
        "started", _("新增观察"), _("人"), _("当日到京、开始观察（第 1 天）的人数"), "observation"
    ),
    Figure("released", _("解除观察"), _("人"), _("当日观察期满解除的人数"), "observation"),
    Figure("fevers", _("发热"), _("人次"), _("当日健康报告或门岗测温发现体温异常的次数"), "health"),
    Figure(
        "missed_reports",
        _("漏报"),
        _("人次"),
        _("当日应报未报健康情况的次数（次日凌晨统计，转为电话询问）"),
        "health",
    ),
    Figure("calls_open", _("待电话询问"), _("件"), _("当日结束时还没有联系上的电话询问"), "health"),
    Figure("passes_active", _("有效出入证"), _("张"), _("当日可以正常使用的出入证"), "gates"),
    Figure(
        "passes_suspended",
        _("暂停出入证"),
        _("张"),
        _("当日暂停使用的出入证，多为持证人正在观察、暂不能外出"),
        "gates",
    ),
    Figure("checks", _("门岗查验"), _("次"), _("当日各门岗查验出入的次数"), "gates"),
    Figure("denials", _("禁止通行"), _("次"), _("当日查验中不准通行的次数"), "gates"),
    Figure("visitors", _("访客登记"), _("人次"), _("当日在门岗登记的访客和快递外卖"), "gates"),
]
FIGURE = {f.key: f for f in FIGURES}
STORED_KEYS = [f.key for f in FIGURES if f.stored]
OBSERVING_KEYS = ["observing_home", "observing_unit", "observing_site"]
_MODE_KEY = {
    ObservationMode.HOME: "observing_home",
    ObservationMode.UNIT: "observing_unit",
    ObservationMode.SITE: "observing_site",
}


def with_derived(values: dict[str, int]) -> dict[str, int]:
    """Stored figures plus the ones derived from them, in FIGURES order."""
    out = dict(values)
    out["observing"] = sum(values.get(k, 0) for k in OBSERVING_KEYS)
    return {f.key: out.get(f.key, 0) for f in FIGURES}


# --- counting ---------------------------------------------------------------------------------
Counts = Iterator[tuple[int, str, int]]  # (area id, figure key, n)


def _grouped(qs: Any, area: str, key: str) -> Counts:
    for row in qs.values(area).annotate(n=Count("pk")).order_by():
        yield row[area], key, row["n"]


def _people(on: dt.date, end: dt.datetime) -> Counts:
    registered = Person.objects.filter(created_at__lt=end, merged_into__isnull=True)
    yield from _grouped(registered, "area_id", "people")
    arrives_later = Observation.objects.filter(person=OuterRef("pk"), arrived_on__gt=on).exclude(
        status=ObservationStatus.CANCELLED
    )
    away = registered.filter(Q(whereabouts=Whereabouts.NOT_BACK) | Q(Exists(arrives_later)))
    yield from _grouped(away, "area_id", "not_back")


def _notices(start: dt.datetime, end: dt.datetime) -> Counts:
    confirmed = ArrivalNotice.objects.filter(
        unannounced=False, confirmed_at__gte=start, confirmed_at__lt=end
    ).exclude(status__in=[NoticeStatus.PENDING, NoticeStatus.REJECTED])
    yield from _grouped(confirmed, "area_id", "notices")
    yield from _grouped(
        confirmed.filter(decision=Decision.MUST_NOT_RETURN), "area_id", "must_delay"
    )


def observing_on(on: dt.date) -> Q:
    """Observations under way on `on`: day 1 ≤ on ≤ last day, not ended by then."""
    return (
        Q(arrived_on__lte=on, last_day__gte=on)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        & ~Q(status=ObservationStatus.CANCELLED)
    )


def _observations(on: dt.date) -> Counts:
    rows = (
        Observation.objects.filter(observing_on(on))
        .values("area_id", "mode")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield row["area_id"], _MODE_KEY[row["mode"]], row["n"]
    started = Observation.objects.filter(arrived_on=on).exclude(status=ObservationStatus.CANCELLED)
    yield from _grouped(started, "area_id", "started")
    released = Observation.objects.filter(status=ObservationStatus.RELEASED, ended_on=on)
    yield from _grouped(released, "area_id", "released")


def _health(on: dt.date, start: dt.datetime, end: dt.datetime) -> Counts:
    fevers = Alert.objects.filter(kind=AlertKind.FEVER, raised_at__gte=start, raised_at__lt=end)
    yield from _grouped(fevers, "area_id", "fevers")
    yield from _grouped(CallTask.objects.filter(on=on), "observation__area_id", "missed_reports")
    still_open = CallTask.objects.filter(created_at__lt=end).filter(
        Q(status=CallTaskStatus.OPEN) | Q(done_at__gte=end)
    )
    yield from _grouped(still_open, "observation__area_id", "calls_open")


def _passes(on: dt.date, end: dt.datetime) -> Counts:
    held = Pass.objects.filter(issued_at__lt=end).filter(
        (Q(status__in=HELD_STATUSES) | Q(changed_at__gte=end))
        & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )
    observed = Observation.objects.filter(observing_on(on), person=OuterRef("person_id"))
    rows = (
        held.annotate(observed=Exists(observed))
        .values("area_id")
        .annotate(
            n=Count("pk"),
            suspended=Count(
                "pk",
                filter=Q(status=PassStatus.SUSPENDED, changed_at__lt=end) | Q(observed=True),
            ),
        )
        .order_by()
    )
    for row in rows:
        yield row["area_id"], "passes_active", row["n"] - row["suspended"]
        yield row["area_id"], "passes_suspended", row["suspended"]


def _day_of_checks(start: dt.datetime, end: dt.datetime) -> Any:
    """The gate log of one day. Naming every gate lets the (gate, at) index serve it (one
    index range per gate) instead of a scan of the whole log; an index on the time alone
    would cost every check at the gate an extra index write."""
    gates = list(Gate.objects.values_list("pk", flat=True))
    return GateCheck.objects.filter(gate_id__in=gates, at__gte=start, at__lt=end)


def _gates(start: dt.datetime, end: dt.datetime) -> Counts:
    day = _day_of_checks(start, end)
    rows = (
        day.values("area_id")
        .annotate(n=Count("pk"), denied=Count("pk", filter=Q(decision=CheckDecision.DENY)))
        .order_by()
    )
    for row in rows:
        yield row["area_id"], "checks", row["n"]
        yield row["area_id"], "denials", row["denied"]
    yield from _grouped(Visit.objects.filter(at__gte=start, at__lt=end), "area_id", "visitors")


def _denials_by_reason(start: dt.datetime, end: dt.datetime) -> dict[int, Counter[str]]:
    out: dict[int, Counter[str]] = defaultdict(Counter)
    rows = (
        _day_of_checks(start, end)
        .filter(decision=CheckDecision.DENY)
        .values("area_id", "reasons")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        for code in filter(None, row["reasons"].split(",")):
            out[row["area_id"]][code] += row["n"]
    return out


def count_day(on: dt.date) -> dict[int, dict[str, Any]]:
    """Every area's stored figures for `on`, from the records: {area id: {key: n, …}}."""
    start, end = day_bounds(on)
    sources: Iterable[Counts] = [
        _people(on, end),
        _notices(start, end),
        _observations(on),
        _health(on, start, end),
        _passes(on, end),
        _gates(start, end),
    ]
    rows: dict[int, dict[str, Any]] = defaultdict(dict)
    for source in sources:
        for area_id, key, n in source:
            if n:
                rows[area_id][key] = rows[area_id].get(key, 0) + n
    for area_id, reasons in _denials_by_reason(start, end).items():
        rows[area_id]["denials_by_reason"] = dict(sorted(reasons.items()))
    return rows


# --- building ---------------------------------------------------------------------------------
def build_day(on: dt.date, *, now: dt.datetime | None = None) -> DayBuild:
    """Replace the rows of `on` with figures derived from the records, in one transaction.
    Two builds of one day at once run one after the other (the DayBuild row is locked)."""
    now = now or timezone.now()
    if on > timezone.localdate(now):
        raise ValueError(f"{on} is in the future")
    started = time.perf_counter()
    with transaction.atomic():
        DayBuild.objects.get_or_create(on=on, defaults={"built_at": now})
        build = DayBuild.objects.select_for_update().get(on=on)
        rows = count_day(on)
        DailyFigures.objects.filter(on=on).delete()
        DailyFigures.objects.bulk_create(
            (DailyFigures(area_id=area_id, on=on, **values) for area_id, values in rows.items()),
            batch_size=1000,
        )
        build.built_at = now
        build.final = now >= day_bounds(on)[1]
        build.areas = len(rows)
        build.seconds = time.perf_counter() - started
        build.save()
    return build


def ensure_day(on: dt.date) -> DayBuild:
    """The build of `on` to read from: a final build as it is; today's provisional build
    while it is fresher than FANGKONG_REPORTS_MAX_AGE seconds; otherwise build now (a day
    the nightly job missed is rebuilt from the records here)."""
    build = DayBuild.objects.filter(on=on).first()
    now = timezone.now()
    if build is not None and (
        build.final or (now - build.built_at).total_seconds() < settings.REPORTS_MAX_AGE
    ):
        return build
    return build_day(on, now=now)


def daily_snapshot(*, on: dt.date, dry_run: bool = False) -> int:
    """The `fangkong daily` step: make the day before `on` final and start `on`'s figures.
    Returns the number of area rows written."""
    if dry_run:
        return len(count_day(on)) if on <= timezone.localdate() else 0
    yesterday = on - dt.timedelta(days=1)
    written = 0
    done = DayBuild.objects.filter(on=yesterday, final=True).exists()
    if not done and yesterday <= timezone.localdate():
        written += build_day(yesterday).areas
    if on <= timezone.localdate():
        written += build_day(on).areas
    return written
