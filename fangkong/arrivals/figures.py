"""Returnees' figures in the daily report (fangkong.core.figures): notices, observation,
health reports, alerts and call tasks, each counted where its records live."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, When
from django.utils.translation import gettext_lazy as _

from fangkong.arrivals.models import (
    Alert,
    AlertKind,
    ArrivalNotice,
    CallTask,
    CallTaskStatus,
    Decision,
    MissedSlots,
    NoticeStatus,
    Observation,
    ObservationMode,
    ObservationStatus,
)
from fangkong.core.figures import Counts, Figure, FigureSet, Span, grouped
from fangkong.registry.models import Person, Whereabouts

_MODE_KEY = {
    ObservationMode.HOME: "observing_home",
    ObservationMode.UNIT: "observing_unit",
    ObservationMode.SITE: "observing_site",
}


def observing_on(on: dt.date) -> Q:
    """Observations under way on `on`: day 1 ≤ on ≤ last day, not ended by then."""
    return (
        Q(arrived_on__lte=on, last_day__gte=on)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        & ~Q(status=ObservationStatus.CANCELLED)
    )


def _not_back(span: Span) -> Counts:
    registered = Person.objects.filter(created_at__lt=span.end, merged_into__isnull=True)
    arrives_later = Observation.objects.filter(
        person=OuterRef("pk"), arrived_on__gt=span.on
    ).exclude(status=ObservationStatus.CANCELLED)
    away = registered.filter(Q(whereabouts=Whereabouts.NOT_BACK) | Q(Exists(arrives_later)))
    yield from grouped(span, away, "area_id", "not_back")


def _notices(span: Span) -> Counts:
    confirmed = ArrivalNotice.objects.filter(
        unannounced=False, confirmed_at__gte=span.start, confirmed_at__lt=span.end
    ).exclude(status__in=[NoticeStatus.PENDING, NoticeStatus.REJECTED])
    yield from grouped(span, confirmed, "area_id", "notices")
    must_delay = confirmed.filter(decision=Decision.MUST_NOT_RETURN)
    yield from grouped(span, must_delay, "area_id", "must_delay")


def _observations(span: Span) -> Counts:
    on = span.on
    rows = (
        span.within(Observation.objects.filter(observing_on(on)))
        .values("area_id", "mode")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield row["area_id"], _MODE_KEY[row["mode"]], row["n"]
    started = Observation.objects.filter(arrived_on=on).exclude(status=ObservationStatus.CANCELLED)
    yield from grouped(span, started, "area_id", "started")
    released = Observation.objects.filter(status=ObservationStatus.RELEASED, ended_on=on)
    yield from grouped(span, released, "area_id", "released")


def _health(span: Span) -> Counts:
    fevers = Alert.objects.filter(
        kind=AlertKind.FEVER, raised_at__gte=span.start, raised_at__lt=span.end
    )
    yield from grouped(span, fevers, "area_id", "fevers")
    # A call task is one per person per day; 全天 stands for two missed reports.
    missed = CallTask.objects.filter(on=span.on)
    reports = Sum(Case(When(missed=MissedSlots.BOTH, then=2), default=1))
    yield from grouped(span, missed, "observation__area_id", "missed_reports", n=reports)
    still_open = CallTask.objects.filter(created_at__lt=span.end).filter(
        Q(status=CallTaskStatus.OPEN) | Q(done_at__gte=span.end)
    )
    yield from grouped(span, still_open, "observation__area_id", "calls_open")


def _count(span: Span) -> Counts:
    yield from _not_back(span)
    yield from _notices(span)
    yield from _observations(span)
    yield from _health(span)


FIGURES = (
    Figure("not_back", _("未返京"), _("人"), _("登记在册、当日还没有回到北京的人数"), "people"),
    Figure(
        "notices",
        _("返京报备"),
        _("份"),
        _("当日社区确认的提前报备（一份可含多人）"),
        "arrivals",
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
        sum_of=("observing_home", "observing_unit", "observing_site"),
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
        "observing_site",
        _("集中观察点"),
        _("人"),
        _("当日在政府集中观察点的人数"),
        "observation",
    ),
    Figure(
        "started",
        _("新增观察"),
        _("人"),
        _("当日到京、开始观察（第 1 天）的人数"),
        "observation",
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
)

FIGURE_SET = FigureSet(
    figures=FIGURES,
    count=_count,
)
