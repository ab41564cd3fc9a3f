"""Duty's figures in the daily report (fangkong.core.figures), counted where the posts are:
shift instances needed and covered on the day, gaps in the 24 hours from the day's start
(from now, today), sign-ins, late and missing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.figures import Counts, Figure, FigureSet, Span
from fangkong.duty.models import Assignment, Attendance, Post
from fangkong.duty.selectors import coverage
from fangkong.duty.services import MISSING_AFTER


def _count(span: Span) -> Counts:
    posts = span.within(Post.objects.filter(active=True))
    cells = coverage(posts, span.on, span.on + dt.timedelta(days=1))
    now = timezone.now()
    since = max(span.start, min(now, span.end))
    needed: Counter[int] = Counter()
    covered: Counter[int] = Counter()
    gaps: Counter[int] = Counter()
    for c in cells:
        area = c.post.area_id
        if c.day == span.on:
            needed[area] += 1
            covered[area] += c.rostered >= c.needed
        if (
            c.gap
            and c.start
            and c.end
            and c.end > since
            and c.start < since + dt.timedelta(hours=24)
        ):
            gaps[area] += 1
    for area in needed.keys() | gaps.keys():
        yield area, "duty_shifts_needed", needed[area]
        yield area, "duty_shifts_covered", covered[area]
        yield area, "duty_gaps_24h", gaps[area]
    rows = (
        Attendance.objects.filter(post__in=posts, day=span.on)
        .values("post__area_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(late=True)))
        .order_by()
    )
    for row in rows:
        yield row["post__area_id"], "duty_sign_ins", row["n"]
        yield row["post__area_id"], "duty_late", row["late"]
    cutoff = min(now, span.end) - MISSING_AFTER
    missing = (
        Assignment.objects.filter(
            shift__post__in=posts, day=span.on, starts_at__lt=cutoff, attendance__isnull=True
        )
        .values("shift__post__area_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in missing:
        yield row["shift__post__area_id"], "duty_missing", row["n"]


FIGURES = (
    Figure("duty_shifts_needed", _("当日班次"), _("班"), _("当日各值守点需要值守的班次数"), "duty"),
    Figure(
        "duty_shifts_covered",
        _("排满的班次"),
        _("班"),
        _("当日排班人数达到需要人数的班次（观察中的人不计）"),
        "duty",
    ),
    Figure("duty_gaps_24h", _("24 小时内缺口"), _("班"), _("未来 24 小时内人数不足的班次"), "duty"),
    Figure("duty_sign_ins", _("值守签到"), _("人次"), _("当日值守签到人次"), "duty"),
    Figure("duty_late", _("值守迟到"), _("人次"), _("班次开始 15 分钟后才签到"), "duty"),
    Figure("duty_missing", _("值守缺岗"), _("人次"), _("班次开始 30 分钟仍未签到的排班"), "duty"),
)

FIGURE_SET = FigureSet(figures=FIGURES, count=_count)
