"""The daily figures over the API (DESIGN.md, the contract):

* `GET /api/v1/reports/daily/?area=<code>&date=YYYY-MM-DD` → the area's figures on that day,
  summed over its subtree, with one entry per child area and the day before's figures;
* `GET /api/v1/reports/daily/range/?area=<code>&from=YYYY-MM-DD&to=YYYY-MM-DD` → one entry
  per day (at most 366), for trends.

`area` defaults to the caller's own area and `date` / `to` to today, `from` to 29 days
before `to`. A malformed date, a date after today, or an area outside the caller's scope is
a 400 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.models import Area
from fangkong.core.api import HasCapability
from fangkong.reports import selectors
from fangkong.reports.figures import FIGURES
from fangkong.reports.module import ReportsCapability

FiguresOutput = type(
    "DailyFiguresValues",
    (serializers.Serializer,),
    {
        f.key: (
            serializers.FloatField(
                allow_null=True, help_text=f"{f.label}（{f.unit}）：{f.help}（null: none）"
            )
            if f.median_of
            else serializers.IntegerField(help_text=f"{f.label}（{f.unit}）：{f.help}")
        )
        for f in FIGURES
    },
)


class AreaRef(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ChildOutput(serializers.Serializer):  # type: ignore[type-arg]
    area = AreaRef()
    own = serializers.BooleanField(help_text="true: records kept on the area itself")
    figures = FiguresOutput()
    denials_by_reason = serializers.DictField(child=serializers.IntegerField())


class DailyOutput(serializers.Serializer):  # type: ignore[type-arg]
    area = AreaRef()
    date = serializers.DateField()
    final = serializers.BooleanField(help_text="built after the day ended: figures are final")
    built_at = serializers.DateTimeField()
    figures = FiguresOutput()
    previous = FiguresOutput(help_text="the day before, for the change since yesterday")
    denials_by_reason = serializers.DictField(child=serializers.IntegerField())
    children = ChildOutput(many=True)


class DayOutput(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField()
    figures = FiguresOutput()


class RangeOutput(serializers.Serializer):  # type: ignore[type-arg]
    area = AreaRef()
    days = DayOutput(many=True)


def _area(area: Area) -> dict[str, str]:
    return {"code": area.code, "name": area.name, "kind": area.kind}


AREA_PARAM = OpenApiParameter("area", str, description="area code (default: your own area)")


class ReportsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ReportsCapability.VIEW


class DailyApi(ReportsApi):
    @extend_schema(
        operation_id="reports_daily",
        parameters=[
            AREA_PARAM,
            OpenApiParameter("date", dt.date, description="YYYY-MM-DD, not after today"),
        ],
        responses={200: DailyOutput},
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        on = selectors.parse_date(request.query_params.get("date"))
        area = selectors.resolve_area(user=user, code=request.query_params.get("area"))
        day = selectors.day_figures(area=area, on=on)
        return Response(
            {
                "area": _area(area),
                "date": on,
                "final": day.build.final,
                "built_at": day.build.built_at,
                "figures": day.figures,
                "previous": day.previous,
                "denials_by_reason": day.denials_by_reason,
                "children": [
                    {
                        "area": _area(c.area),
                        "own": c.own,
                        "figures": c.values,
                        "denials_by_reason": c.denials_by_reason,
                    }
                    for c in day.children
                ],
            }
        )


class DailyRangeApi(ReportsApi):
    @extend_schema(
        operation_id="reports_daily_range",
        parameters=[
            AREA_PARAM,
            OpenApiParameter("from", dt.date, description="first day (default: 29 days before to)"),
            OpenApiParameter(
                "to", dt.date, description="last day, not after today (default today)"
            ),
        ],
        responses={200: RangeOutput},
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        params = request.query_params
        end = selectors.parse_date(params.get("to"), field="to")
        default_start = end - dt.timedelta(days=selectors.TREND_DAYS - 1)
        start = selectors.parse_date(params.get("from"), field="from", default=default_start)
        area = selectors.resolve_area(user=user, code=params.get("area"))
        days = selectors.trend(area=area, start=start, end=end)
        return Response(
            {"area": _area(area), "days": [{"date": on, "figures": v} for on, v in days]}
        )
