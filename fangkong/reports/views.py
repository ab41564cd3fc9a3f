"""The dashboard (数据看板), the 日报 workbook and its printable page.

All three take `?area=<code>&date=YYYY-MM-DD`; the area defaults to the account's own and
must lie within it, the date to today and must not be after it. Bad input answers 400 with
the field and the reason on the page, never a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from fangkong.access.models import Reason
from fangkong.audit.services import audit_export
from fangkong.core.figures import Figure
from fangkong.core.views import capability_required
from fangkong.reports import exports, selectors
from fangkong.reports.figures import FIGURE, FIGURES
from fangkong.reports.module import ReportsCapability
from fangkong.reports.selectors import Day

# The numbers at the top of the dashboard, most watched first.
KEY_FIGURES = [
    "observing",
    "started",
    "released",
    "fevers",
    "calls_open",
    "not_back",
    "notices",
    "denials",
]
# The columns of the table of the level below (the full set is in the workbook).
TABLE_FIGURES = [
    "people",
    "not_back",
    "observing",
    "started",
    "released",
    "fevers",
    "missed_reports",
    "passes_suspended",
    "checks",
    "denials",
]
# Trend charts: (element id, title, figure keys, stacked).
CHARTS = [
    (
        "chart-observing",
        _("观察人数"),
        ["observing_home", "observing_unit", "observing_site"],
        True,
    ),
    (
        "chart-flow",
        _("每日新增、解除与发热"),
        ["started", "released", "fevers", "missed_reports"],
        False,
    ),
    ("chart-gates", _("门岗查验与禁止通行"), ["checks", "denials"], False),
]


def day_view(view: Callable[[HttpRequest, Day], HttpResponse]) -> Callable[..., HttpResponse]:
    """A reports page: the role must read reports; `?area=` and `?date=` are read into a
    Day, and bad input answers 400 naming the field instead of reaching the view."""

    @capability_required(ReportsCapability.VIEW)
    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        try:
            on = selectors.parse_date(request.GET.get("date"))
            area = selectors.resolve_area(user=user, code=request.GET.get("area"))
        except ValidationError as exc:
            labels = {"date": _("日期"), "area": _("区域")}
            errors = [
                (labels.get(field, field), " ".join(messages))
                for field, messages in exc.message_dict.items()
            ]
            return render(request, "reports/bad_input.html", {"errors": errors}, status=400)
        return view(request, selectors.day_figures(area=area, on=on))

    return wrapped


def _columns(day: Day, figures: list[Figure]) -> dict[str, Any]:
    """The table of the level below: one row per child area, then the totals."""
    return {
        "rows": [(c, [f.shown(c.values[f.key]) for f in figures]) for c in day.children],
        "totals": [f.shown(day.figures[f.key]) for f in figures],
    }


def _cards(day: Day) -> list[dict[str, Any]]:
    change = day.change()
    return [
        {"figure": FIGURE[key], "value": FIGURE[key].shown(day.figures[key]), "change": change[key]}
        for key in KEY_FIGURES
    ]


def _trend_data(day: Day) -> dict[str, Any]:
    start = day.on - dt.timedelta(days=selectors.TREND_DAYS - 1)
    days = selectors.trend(area=day.area, start=start, end=day.on)
    keys = sorted({k for _, _, ks, _ in CHARTS for k in ks})
    return {
        "dates": [f"{on:%m-%d}" for on, _ in days],
        "series": {k: [values[k] for _, values in days] for k in keys},
        "labels": {k: str(FIGURE[k].label) for k in keys},
        "charts": [
            {"id": cid, "title": str(title), "keys": ks, "stacked": stacked}
            for cid, title, ks, stacked in CHARTS
        ],
    }


def _reasons(day: Day) -> list[tuple[str, int]]:
    return [(str(Reason(code).label), n) for code, n in day.denials_by_reason.items()]


@day_view
def dashboard(request: HttpRequest, day: Day) -> HttpResponse:
    table: list[Figure] = [FIGURE[k] for k in TABLE_FIGURES]
    return render(
        request,
        "reports/dashboard.html",
        {
            "day": day,
            "cards": _cards(day),
            "table": table,
            **_columns(day, table),
            "trail": selectors.breadcrumbs(user=request.user, area=day.area),
            "trend": _trend_data(day),
            "reasons": _reasons(day),
            "all_figures": [(f, f.shown(day.figures[f.key])) for f in FIGURES],
        },
    )


@day_view
def daily_xlsx(request: HttpRequest, day: Day) -> HttpResponse:
    body = exports.daily_workbook(day)
    audit_export(
        actor=request.user,
        what="reports.daily",
        rows=len(day.children),
        request=request,
        area=day.area,
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(day)) or ""
    return response


@day_view
def daily_print(request: HttpRequest, day: Day) -> HttpResponse:
    return render(
        request,
        "reports/print.html",
        {
            "day": day,
            "title": exports.title(day),
            "figures": FIGURES,
            **_columns(day, FIGURES),
            "reasons": _reasons(day),
        },
    )
