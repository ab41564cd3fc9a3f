"""Rounds over the API: places, plans and records (list and create), ending a plan, and the
due list of an area (`GET /api/v1/rounds/due/?area=<code>`: due and overdue, how late)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.models import Area
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses, valid_input
from fangkong.core.dates import parse_day
from fangkong.core.errors import invalid
from fangkong.core.ids import IdField, is_id
from fangkong.core.scoping import get_visible_or_404
from fangkong.registry.models import Person
from fangkong.rounds import services
from fangkong.rounds.models import Agent, Place, PlaceKind, Plan, Record, RoundKind
from fangkong.rounds.module import RoundsCapability
from fangkong.rounds.selectors import Due, places_list, plans_list, records_list, rounds_due
from fangkong.units.models import Unit


def _area_param(request: Request, *, required: bool = False) -> Area | None:
    code = (request.query_params.get("area") or "").strip()
    if not code:
        if required:
            raise invalid("area", _("请给出社区、村或片区的代码 area"), "required")
        return None
    return area_visible_by_code(user=request.user, code=code)


def _id_param(request: Request, name: str) -> int | None:
    value = (request.query_params.get(name) or "").strip()
    if not value:
        return None
    if not is_id(value):
        raise invalid(name, _("%(name)s 应为编号（数字）") % {"name": name})
    return int(value)


class _WriteCapability:
    """Reading needs rounds.view; writing the capability in `write_capability`."""

    request: Request
    write_capability: str = RoundsCapability.PLAN

    @property
    def capability(self) -> str:
        if self.request.method == "POST":
            return self.write_capability
        return RoundsCapability.VIEW


# --- places ----------------------------------------------------------------------------


class PlaceOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    # Plain strings in the outputs: each choice set is one enum, named by its input.
    kind = serializers.CharField(help_text="lift, stairwell, rubbish, garage, toilet …")

    class Meta:
        model = Place
        fields = ["id", "area", "unit", "kind", "building", "name", "active", "created_at"]


class PlaceInput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField(max_length=32, help_text="所在社区、村或片区的代码")
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    building = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=60)
    unit = IdField(required=False, allow_null=True, default=None, help_text="所属单位（可选）")


class PlacesApi(_WriteCapability, ScopedListAPIView):  # type: ignore[misc]
    serializer_class = PlaceOutput

    @extend_schema(parameters=[OpenApiParameter("area", str, description="社区、村或片区代码")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Place]:
        return places_list(user=self.request.user, area=_area_param(self.request))

    @extend_schema(
        request=PlaceInput,
        responses={201: PlaceOutput, **error_responses(400, 403, 404, 409)},
        summary="添加巡查消杀点位",
    )
    def post(self, request: Request) -> Response:
        values = valid_input(PlaceInput, request)
        area = area_visible_by_code(user=request.user, code=values["area"])
        unit = None
        if values.get("unit") is not None:
            unit = get_visible_or_404(Unit, request.user, pk=values["unit"])
        place = services.place_create(
            actor=request.user,
            area=area,
            kind=values["kind"],
            building=values["building"],
            name=values["name"],
            unit=unit,
        )
        return Response(PlaceOutput(place).data, status=status.HTTP_201_CREATED)


# --- plans -----------------------------------------------------------------------------


class PlanOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    interval_hours = serializers.SerializerMethodField()
    per_day = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(help_text="patrol / disinfection")

    def get_interval_hours(self, plan: Plan) -> float:
        return round(plan.interval.total_seconds() / 3600, 2)

    class Meta:
        model = Plan
        fields = [
            "id",
            "place",
            "kind",
            "every_hours",
            "times_a_day",
            "interval_hours",
            "per_day",
            "agent",
            "concentration",
            "active_from",
            "active_until",
            "created_at",
        ]


class PlanInput(serializers.Serializer):  # type: ignore[type-arg]
    place = IdField()
    kind = serializers.ChoiceField(choices=RoundKind.choices)
    every_hours = serializers.IntegerField(required=False, allow_null=True, default=None)
    times_a_day = serializers.IntegerField(required=False, allow_null=True, default=None)
    agent = serializers.ChoiceField(
        choices=Agent.choices, required=False, allow_blank=True, default=""
    )
    concentration = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    active_from = serializers.DateField(required=False, allow_null=True, default=None)
    active_until = serializers.DateField(required=False, allow_null=True, default=None)


class PlansApi(_WriteCapability, ScopedListAPIView):  # type: ignore[misc]
    serializer_class = PlanOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="社区、村或片区代码"),
            OpenApiParameter("place", int, description="点位编号"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Plan]:
        place_id = _id_param(self.request, "place")
        place = (
            None if place_id is None else get_visible_or_404(Place, self.request.user, pk=place_id)
        )
        return plans_list(user=self.request.user, area=_area_param(self.request), place=place)

    @extend_schema(
        request=PlanInput,
        responses={201: PlanOutput, **error_responses(400, 403, 404, 409)},
        summary="给点位添加巡逻检查或消杀作业计划",
    )
    def post(self, request: Request) -> Response:
        values = valid_input(PlanInput, request)
        place = get_visible_or_404(Place, request.user, pk=values.pop("place"))
        plan = services.plan_create(actor=request.user, place=place, **values)
        return Response(PlanOutput(plan).data, status=status.HTTP_201_CREATED)


class PlanEndApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = RoundsCapability.PLAN

    @extend_schema(
        request=None,
        responses={200: PlanOutput, **error_responses(400, 403, 404, 409)},
        summary="结束计划（今天以后不再要做）",
    )
    def post(self, request: Request, pk: int) -> Response:
        plan = get_visible_or_404(Plan.objects.select_related("place"), request.user, pk=pk)
        plan = services.plan_end(actor=request.user, plan=plan)
        return Response(PlanOutput(plan).data)


# --- records ---------------------------------------------------------------------------


class RecordOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    place = serializers.IntegerField(source="plan.place_id")
    kind = serializers.CharField(source="plan.kind")
    done_by = serializers.CharField(source="done_by.username", allow_null=True, default=None)
    person = serializers.SerializerMethodField()
    recorded_by = serializers.CharField(source="recorded_by.username")

    def get_person(self, record: Record) -> dict[str, Any] | None:
        p = record.person
        return None if p is None else {"id": p.pk, "name": p.masked_name}

    class Meta:
        model = Record
        fields = [
            "id",
            "plan",
            "place",
            "kind",
            "done_at",
            "done_by",
            "person",
            "what",
            "agent",
            "concentration",
            "note",
            "recorded_by",
            "recorded_at",
        ]


class RecordInput(serializers.Serializer):  # type: ignore[type-arg]
    plan = IdField()
    done_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    person = IdField(
        required=False, allow_null=True, default=None, help_text="没有账号的完成人（登记人员）"
    )
    what = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    agent = serializers.ChoiceField(
        choices=Agent.choices, required=False, allow_blank=True, default=""
    )
    concentration = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RecordsApi(_WriteCapability, ScopedListAPIView):  # type: ignore[misc]
    serializer_class = RecordOutput
    write_capability = RoundsCapability.RECORD

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="社区、村或片区代码"),
            OpenApiParameter("place", int, description="点位编号"),
            OpenApiParameter("date", str, description="完成日期 YYYY-MM-DD"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Record]:
        params = self.request.query_params
        place_id = _id_param(self.request, "place")
        place = (
            None if place_id is None else get_visible_or_404(Place, self.request.user, pk=place_id)
        )
        on = parse_day(params["date"]) if params.get("date") else None
        return records_list(
            user=self.request.user, area=_area_param(self.request), place=place, on=on
        )

    @extend_schema(
        request=RecordInput,
        responses={201: RecordOutput, **error_responses(400, 403, 404, 409)},
        summary="记录一次巡逻检查或消杀作业（默认：现在、本人、计划的消毒剂）",
    )
    def post(self, request: Request) -> Response:
        values = valid_input(RecordInput, request)
        plan = get_visible_or_404(
            Plan.objects.select_related("place"), request.user, pk=values.pop("plan")
        )
        person_id = values.pop("person")
        person = (
            None if person_id is None else get_visible_or_404(Person, request.user, pk=person_id)
        )
        record = services.record_round(actor=request.user, plan=plan, person=person, **values)
        return Response(RecordOutput(record).data, status=status.HTTP_201_CREATED)


# --- due -------------------------------------------------------------------------------


class DueOutput(serializers.Serializer):  # type: ignore[type-arg]
    plan = serializers.IntegerField(source="plan.pk")
    place = serializers.IntegerField(source="plan.place_id")
    place_name = serializers.CharField(source="plan.place.__str__")
    area = serializers.CharField(source="plan.place.area.code")
    kind = serializers.CharField(source="plan.kind")
    interval_hours = serializers.SerializerMethodField()
    last_done_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()
    late_minutes = serializers.IntegerField(help_text="逾期多少分钟（未逾期为 0）")

    def get_interval_hours(self, due: Due) -> float:
        return round(due.plan.interval.total_seconds() / 3600, 2)


class DueApi(APIView):
    """Today's rounds still to do in an area, the most overdue first."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = RoundsCapability.VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, required=True, description="社区、村或片区代码"),
            OpenApiParameter("overdue", bool, description="只列逾期的"),
        ],
        responses={200: DueOutput(many=True), **error_responses(400, 403)},
        summary="今日待做和逾期的巡查消杀（逾期多久）",
    )
    def get(self, request: Request) -> Response:
        area = _area_param(request, required=True)
        overdue = (request.query_params.get("overdue") or "").lower()
        if overdue not in ("", "0", "1", "true", "false"):
            raise invalid("overdue", _("overdue 应为 true 或 false"))
        due = rounds_due(
            user=request.user,
            area=area,
            now=timezone.now(),
            overdue_only=overdue in ("1", "true"),
        )
        return Response(DueOutput(due, many=True).data)
