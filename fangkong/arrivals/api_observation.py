"""Observation, health reports, alerts, call tasks and self-reports over the API.

Everything is scoped to the caller's area (404 outside it); document numbers and phones
are masked; bad input is a 4xx naming the field and the reason. The self-report endpoint
needs no account: the signed token in the path is the credential."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.selectors import area_visible_by_code
from fangkong.arrivals import observation as services
from fangkong.arrivals import selectors_observation as selectors
from fangkong.arrivals.models import (
    SYMPTOMS,
    Alert,
    CallTask,
    CallTaskStatus,
    HealthReport,
    Observation,
    ObservationEvent,
    ObservationMode,
    ObservationStatus,
    Slot,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.core.api import HasCapability, ScopedListAPIView, error_response
from fangkong.core.errors import invalid
from fangkong.core.ids import IdField
from fangkong.core.scoping import get_visible_or_404
from fangkong.registry.models import Address, Person
from fangkong.units.models import Unit


# --- output ------------------------------------------------------------------------------------
class PersonBrief(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    document_number = serializers.CharField(source="document_masked")
    phone = serializers.CharField(source="phone_masked")


class ObservationOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    person = PersonBrief()
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    address = serializers.CharField(source="address.__str__", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.name", allow_null=True, default=None)
    policy = serializers.CharField(source="policy.label")
    release_on = serializers.DateField()
    day = serializers.SerializerMethodField(help_text="今天是观察第几天（未在观察中为 null）")
    open_alert = serializers.SerializerMethodField(help_text="有未处置的发热/症状预警")

    class Meta:
        model = Observation
        fields = [
            "id",
            "person",
            "area",
            "area_name",
            "mode",
            "status",
            "arrived_on",
            "days",
            "last_day",
            "release_on",
            "ended_on",
            "day",
            "address",
            "unit",
            "notice",
            "policy",
            "open_alert",
        ]

    def get_day(self, observation: Observation) -> int | None:
        if observation.status != ObservationStatus.ACTIVE:
            return None
        return observation.day_number(timezone.localdate())

    def get_open_alert(self, observation: Observation) -> bool:
        value = getattr(observation, "open_alert", None)
        if value is None:
            value = observation.alerts.filter(handled_at=None).exists()
        return bool(value)


class EventOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    actor = serializers.CharField(source="actor_name")

    class Meta:
        model = ObservationEvent
        fields = [
            "action",
            "from_status",
            "to_status",
            "days_before",
            "days_after",
            "reason",
            "actor",
            "at",
        ]


class ReportOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    recorded_by = serializers.CharField(
        source="recorded_by.username", allow_null=True, default=None
    )
    fever = serializers.SerializerMethodField()

    class Meta:
        model = HealthReport
        fields = [
            "id",
            "observation",
            "on",
            "slot",
            "temperature",
            "symptoms",
            "by_self",
            "recorded_by",
            "created_at",
            "fever",
        ]

    def get_fever(self, report: HealthReport) -> bool:
        return services.is_fever(report.observation, report.temperature)


class AlertOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    person = PersonBrief()
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    handled_by = serializers.CharField(source="handled_by.username", allow_null=True, default=None)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "person",
            "observation",
            "area",
            "area_name",
            "temperature",
            "detail",
            "raised_at",
            "handled_at",
            "handled_by",
            "handling",
        ]


class CallTaskOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    person = PersonBrief(source="observation.person")
    area = serializers.CharField(source="observation.area.code")
    done_by = serializers.CharField(source="done_by.username", allow_null=True, default=None)

    class Meta:
        model = CallTask
        fields = [
            "id",
            "observation",
            "person",
            "area",
            "on",
            "slot",
            "status",
            "note",
            "created_at",
            "done_at",
            "done_by",
        ]


class ObservationDetailOutput(ObservationOutput):
    events = EventOutput(many=True)
    reports = ReportOutput(many=True)
    alerts = AlertOutput(many=True)
    call_tasks = CallTaskOutput(many=True)

    class Meta(ObservationOutput.Meta):
        fields = [*ObservationOutput.Meta.fields, "events", "reports", "alerts", "call_tasks"]


# --- input -------------------------------------------------------------------------------------
class ObservationInput(serializers.Serializer):  # type: ignore[type-arg]
    person = IdField(help_text="人员编号（须已登记且在您的辖区）")
    area = serializers.CharField(max_length=32, help_text="观察所在社区、村或片区代码")
    mode = serializers.ChoiceField(choices=ObservationMode.choices)
    arrived_on = serializers.DateField(help_text="到京日期，即观察第 1 天")
    days = serializers.IntegerField(
        required=False, allow_null=True, help_text="观察天数；省略则按到京当天生效的政策"
    )
    address = IdField(required=False, allow_null=True, help_text="住址编号")
    unit = IdField(required=False, allow_null=True, help_text="单位编号")


class DaysInput(serializers.Serializer):  # type: ignore[type-arg]
    days = serializers.IntegerField(help_text="延长或缩短的天数")
    reason = serializers.CharField(max_length=300, allow_blank=True)


class ReleaseInput(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField(required=False, help_text="解除日期，省略为今天")


class HospitalInput(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField(required=False, help_text="转送日期，省略为今天")
    reason = serializers.CharField(max_length=300, allow_blank=True)


class CancelInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300, allow_blank=True)


class TemperatureInput(serializers.Serializer):  # type: ignore[type-arg]
    temperature = serializers.CharField(
        max_length=20, help_text='体温（°C），34.0–42.0，如 36.5 或 "36.5"'
    )
    symptoms = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="症状代码：" + "、".join(f"{k}（{v}）" for k, v in SYMPTOMS.items()),
    )


class ReportInput(TemperatureInput):
    on = serializers.DateField(required=False, help_text="日期，省略为今天")
    slot = serializers.ChoiceField(
        choices=Slot.choices, required=False, help_text="时段，省略为当前时段（12 点前为上午）"
    )


class HandleInput(serializers.Serializer):  # type: ignore[type-arg]
    handling = serializers.CharField(max_length=200, allow_blank=True)


class NoteInput(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(max_length=200, allow_blank=True)


class ReportCreated(ReportOutput):
    already_received = serializers.SerializerMethodField(
        help_text="true：该时段已报告过，返回的是第一次的记录，未作修改"
    )
    alert = serializers.SerializerMethodField(help_text="因本次报告发出的预警编号")

    class Meta(ReportOutput.Meta):
        fields = [*ReportOutput.Meta.fields, "already_received", "alert"]

    def get_already_received(self, report: HealthReport) -> bool:
        return bool(self.context.get("already_received", False))

    def get_alert(self, report: HealthReport) -> int | None:
        alert = self.context.get("alert")
        return alert.pk if alert is not None else None


def _report_response(result: services.ReportResult) -> Response:
    data = ReportCreated(
        result.report,
        context={"already_received": not result.created, "alert": result.alert},
    ).data
    return Response(data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:  # type: ignore[type-arg]
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


def _require(request: Request, view: APIView, *capabilities: str) -> None:
    user: Any = request.user
    if not any(user.can(c) for c in capabilities):
        view.permission_denied(request, message="您的角色无权进行此操作。")


def _observations() -> QuerySet[Observation]:
    return Observation.objects.select_related("person", "area", "address", "unit", "policy")


# --- observations ---------------------------------------------------------------------------
class ObservationsApi(ScopedListAPIView):
    """Observations in the caller's area, by state and due date."""

    serializer_class = ObservationOutput
    capability = ArrivalsCapability.VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ObservationStatus.values),
            OpenApiParameter(
                "due",
                str,
                enum=list(selectors.DUE_FILTERS),
                description=(
                    "missing_today 今日未报；ending_this_week 7 天内到期；"
                    "fever 有未处置的发热/症状预警"
                ),
            ),
            OpenApiParameter("area", str, description="区域代码（含下级）"),
            OpenApiParameter("q", str, description="姓名（包含）"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Observation]:
        params = self.request.query_params
        user = self.request.user
        status_ = params.get("status", "")
        if status_ and status_ not in ObservationStatus.values:
            raise invalid("status", f"状态应为：{'、'.join(ObservationStatus.values)}")
        due = params.get("due", "")
        if due and due not in selectors.DUE_FILTERS:
            raise invalid("due", f"due 应为：{'、'.join(selectors.DUE_FILTERS)}")
        area = area_visible_by_code(user=user, code=params["area"]) if params.get("area") else None
        return selectors.observations_list(
            user=user, tab=due or "", status=status_, area=area, name=params.get("q", "").strip()
        )

    @extend_schema(request=ObservationInput, responses={201: ObservationOutput})
    def post(self, request: Request) -> Response:
        _require(request, self, ArrivalsCapability.CHANGE)
        values = _valid(ObservationInput, request)
        user: Any = request.user
        person = Person.objects.visible_to(user).filter(pk=values["person"]).first()
        if person is None:
            raise invalid("person", f"人员编号 {values['person']} 不存在或不在您的辖区", "unknown")
        area = area_visible_by_code(user=user, code=values["area"])
        address = unit = None
        if values.get("address") is not None:
            address = Address.objects.visible_to(user).filter(pk=values["address"]).first()
            if address is None:
                raise invalid("address", "住址不存在或不在您的辖区", "unknown")
        if values.get("unit") is not None:
            unit = Unit.objects.visible_to(user).filter(pk=values["unit"]).first()
            if unit is None:
                raise invalid("unit", "单位不存在或不在您的辖区", "unknown")
        observation = services.observation_start(
            actor=user,
            person=person,
            area=area,
            mode=values["mode"],
            arrived_on=values["arrived_on"],
            address=address,
            unit=unit,
            days=values.get("days"),
        )
        return Response(ObservationOutput(observation).data, status=status.HTTP_201_CREATED)


class ObservationApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.VIEW

    @extend_schema(responses={200: ObservationDetailOutput})
    def get(self, request: Request, pk: int) -> Response:
        observation = get_visible_or_404(
            _observations().prefetch_related(
                "events", "reports__observation__policy", "alerts__person", "alerts__area"
            ),
            request.user,
            pk=pk,
        )
        return Response(ObservationDetailOutput(observation).data)


class _ObservationActionApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.VIEW
    needs: tuple[str, ...] = (ArrivalsCapability.CHANGE,)
    input_class: type[serializers.Serializer] = serializers.Serializer  # type: ignore[type-arg]

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        _require(request, self, *self.needs)
        observation = get_visible_or_404(_observations(), request.user, pk=pk)
        values = _valid(self.input_class, request)
        observation = self.act(request.user, observation, values)
        return Response(ObservationOutput(observation).data)


class ExtendApi(_ObservationActionApi):
    input_class = DaysInput

    @extend_schema(request=DaysInput, responses={200: ObservationOutput}, summary="延长观察")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return services.observation_extend(
            actor=user, observation=observation, days=values["days"], reason=values["reason"]
        )


class ShortenApi(_ObservationActionApi):
    input_class = DaysInput

    @extend_schema(request=DaysInput, responses={200: ObservationOutput}, summary="缩短观察")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return services.observation_shorten(
            actor=user, observation=observation, days=values["days"], reason=values["reason"]
        )


class ReleaseApi(_ObservationActionApi):
    input_class = ReleaseInput

    @extend_schema(request=ReleaseInput, responses={200: ObservationOutput}, summary="解除观察")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        on = values.get("on") or timezone.localdate()
        return services.observation_release(actor=user, observation=observation, on=on)


class HospitalApi(_ObservationActionApi):
    input_class = HospitalInput
    needs = (ArrivalsCapability.CHANGE, ArrivalsCapability.ALERTS_HANDLE)

    @extend_schema(request=HospitalInput, responses={200: ObservationOutput}, summary="转送医院")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return services.observation_to_hospital(
            actor=user,
            observation=observation,
            on=values.get("on") or timezone.localdate(),
            reason=values["reason"],
        )


class CancelApi(_ObservationActionApi):
    input_class = CancelInput

    @extend_schema(request=CancelInput, responses={200: ObservationOutput}, summary="撤销观察")
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return services.observation_cancel(
            actor=user, observation=observation, reason=values["reason"]
        )


class ObservationReportsApi(APIView):
    """A worker records a report after a call (the person reports through the self-report
    link). The same slot again answers 200 with the first record, unchanged."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.HEALTH_RECORD

    @extend_schema(
        request=ReportInput,
        responses={201: ReportCreated, 200: ReportCreated},
        summary="代填健康报告",
    )
    def post(self, request: Request, pk: int) -> Response:
        observation = get_visible_or_404(_observations(), request.user, pk=pk)
        values = _valid(ReportInput, request)
        result = services.report_submit(
            observation=observation,
            on=values.get("on") or timezone.localdate(),
            slot=values.get("slot") or services.current_slot(),
            temperature=values["temperature"],
            symptoms=values.get("symptoms"),
            by_self=False,
            actor=request.user,
        )
        return _report_response(result)


# --- alerts and call tasks -------------------------------------------------------------------
STATE_PARAM = OpenApiParameter("state", str, enum=["open", "handled", "all"])


class AlertsApi(ScopedListAPIView):
    """Fever and symptom alerts of the caller's area, newest first."""

    serializer_class = AlertOutput
    capability = ArrivalsCapability.VIEW

    @extend_schema(parameters=[STATE_PARAM])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Alert]:
        state = self.request.query_params.get("state", "all")
        if state not in ("open", "handled", "all"):
            raise invalid("state", "state 应为 open、handled 或 all")
        return selectors.alerts_list(user=self.request.user, state=state)


class AlertHandleApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.ALERTS_HANDLE

    @extend_schema(request=HandleInput, responses={200: AlertOutput}, summary="处置预警")
    def post(self, request: Request, pk: int) -> Response:
        alert = get_visible_or_404(
            Alert.objects.select_related("person", "area"), request.user, pk=pk
        )
        values = _valid(HandleInput, request)
        alert = services.alert_handle(actor=request.user, alert=alert, handling=values["handling"])
        return Response(AlertOutput(alert).data)


class CallTasksApi(ScopedListAPIView):
    """Calls to make about missed reports (raised by `fangkong daily`)."""

    serializer_class = CallTaskOutput
    capability = ArrivalsCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=[*CallTaskStatus.values, "all"])]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CallTask]:
        state = self.request.query_params.get("state", CallTaskStatus.OPEN)
        if state not in (*CallTaskStatus.values, "all"):
            raise invalid("state", "state 应为 open、done 或 all")
        return selectors.call_tasks_list(user=self.request.user, state=state)


class CallTaskDoneApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.HEALTH_RECORD

    @extend_schema(request=NoteInput, responses={200: CallTaskOutput}, summary="完成电话询问")
    def post(self, request: Request, pk: int) -> Response:
        task = get_visible_or_404(
            CallTask.objects.select_related("observation__person", "observation__area"),
            request.user,
            pk=pk,
        )
        values = _valid(NoteInput, request)
        task = services.call_task_done(actor=request.user, task=task, note=values["note"])
        return Response(CallTaskOutput(task).data)


# --- self-reports (no account) ----------------------------------------------------------------
class SelfReportApi(APIView):
    """The personal link's API: GET today's state, POST a temperature for the current half
    day. No account; a forged token answers 400, an expired one or a finished
    observation 403."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    def _link_error(self, error: services.SelfReportLinkError) -> Response:
        return error_response(
            [{"field": "token", "code": error.code, "reason": error.reason}], error.status_code
        )

    @extend_schema(
        responses={
            200: inline_serializer(
                "SelfReportState",
                {
                    "name": serializers.CharField(help_text="遮挡后的姓名，如 张**"),
                    "day": serializers.IntegerField(),
                    "days": serializers.IntegerField(),
                    "on": serializers.DateField(),
                    "slot": serializers.ChoiceField(choices=Slot.choices),
                    "reported": serializers.DictField(
                        child=serializers.DecimalField(
                            max_digits=3, decimal_places=1, allow_null=True
                        )
                    ),
                },
            )
        },
        summary="本人填报：今日状态",
    )
    def get(self, request: Request, token: str) -> Response:
        try:
            observation = services.self_report_observation(token=token)
        except services.SelfReportLinkError as error:
            return self._link_error(error)
        state = services.self_report_status(observation=observation)
        return Response(
            {
                "name": state.masked_name,
                "day": state.day,
                "days": state.days,
                "on": state.on,
                "slot": state.slot,
                "reported": {
                    k: (str(v) if v is not None else None) for k, v in state.reported.items()
                },
            }
        )

    @extend_schema(
        request=TemperatureInput,
        responses={
            201: inline_serializer(
                "SelfReportReceived",
                {
                    "day": serializers.IntegerField(),
                    "on": serializers.DateField(),
                    "slot": serializers.ChoiceField(choices=Slot.choices),
                    "temperature": serializers.DecimalField(max_digits=3, decimal_places=1),
                    "symptoms": serializers.ListField(child=serializers.CharField()),
                    "fever": serializers.BooleanField(),
                    "already_received": serializers.BooleanField(),
                    "message": serializers.CharField(),
                },
            )
        },
        summary="本人填报体温",
    )
    def post(self, request: Request, token: str) -> Response:
        try:
            observation = services.self_report_observation(token=token)
        except services.SelfReportLinkError as error:
            return self._link_error(error)
        values = _valid(TemperatureInput, request)
        result = services.self_report_submit(
            token=token, temperature=values["temperature"], symptoms=values.get("symptoms")
        )
        report = result.report
        fever = services.is_fever(observation, report.temperature)
        day = observation.day_number(report.on)
        message = (
            f"已收到，第 {day} 天{report.get_slot_display()}体温 {report.temperature}°C"
            if result.created
            else f"本时段已报过：第 {day} 天{report.get_slot_display()}体温 {report.temperature}°C"
        )
        if fever or report.symptoms:
            message += "；社区医生会尽快联系您"
        return Response(
            {
                "day": day,
                "on": report.on,
                "slot": report.slot,
                "temperature": str(report.temperature),
                "symptoms": report.symptoms,
                "fever": fever,
                "already_received": not result.created,
                "message": message,
            },
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


urlpatterns: list[URLPattern] = [
    path("observations/", ObservationsApi.as_view(), name="observations"),
    path("observations/<int:pk>/", ObservationApi.as_view(), name="observation"),
    path("observations/<int:pk>/extend/", ExtendApi.as_view(), name="observation-extend"),
    path("observations/<int:pk>/shorten/", ShortenApi.as_view(), name="observation-shorten"),
    path("observations/<int:pk>/release/", ReleaseApi.as_view(), name="observation-release"),
    path("observations/<int:pk>/hospital/", HospitalApi.as_view(), name="observation-hospital"),
    path("observations/<int:pk>/cancel/", CancelApi.as_view(), name="observation-cancel"),
    path(
        "observations/<int:pk>/reports/",
        ObservationReportsApi.as_view(),
        name="observation-reports",
    ),
    path("alerts/", AlertsApi.as_view(), name="alerts"),
    path("alerts/<int:pk>/handle/", AlertHandleApi.as_view(), name="alert-handle"),
    path("call-tasks/", CallTasksApi.as_view(), name="call-tasks"),
    path("call-tasks/<int:pk>/done/", CallTaskDoneApi.as_view(), name="call-task-done"),
    path("self-reports/<str:token>/", SelfReportApi.as_view(), name="self-report"),
]
