"""Health reports, alerts, call tasks and self-reports over the API.

Everything is scoped to the caller's area (404 outside it); bad input is a 4xx naming the
field and the reason. The self-report endpoint needs no account: the signed token in the
path is the credential."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.arrivals.health.selectors import (
    MINE,
    alerts_list,
    call_task_assignee,
    call_tasks_list,
)
from fangkong.arrivals.health.services import (
    ReportResult,
    SelfReportLinkError,
    alert_handle,
    call_task_assign,
    call_task_attempt,
    call_task_done,
    current_slot,
    is_fever,
    report_submit,
    self_report_observation,
    self_report_status,
    self_report_submit,
)
from fangkong.arrivals.models import (
    SYMPTOMS,
    Alert,
    CallOutcome,
    CallTask,
    CallTaskStatus,
    HealthReport,
    Slot,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.observation.api import (
    AlertOutput,
    CallTaskOutput,
    ReportOutput,
    observations_queryset,
)
from fangkong.core.api import (
    HasCapability,
    ScopedListAPIView,
    error_response,
    error_responses,
    valid_input,
)
from fangkong.core.errors import invalid
from fangkong.core.ids import IdField
from fangkong.core.scoping import get_visible_or_404


# --- input -------------------------------------------------------------------------------------
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


def _report_response(result: ReportResult) -> Response:
    data = ReportCreated(
        result.report,
        context={"already_received": not result.created, "alert": result.alert},
    ).data
    return Response(data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


class ObservationReportsApi(APIView):
    """A worker records a report after a call (the person reports through the self-report
    link). The same slot again answers 200 with the first record, unchanged."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.HEALTH_RECORD

    @extend_schema(
        request=ReportInput,
        responses={201: ReportCreated, 200: ReportCreated, **error_responses(400, 403, 404)},
        summary="代填健康报告",
    )
    def post(self, request: Request, pk: int) -> Response:
        observation = get_visible_or_404(observations_queryset(), request.user, pk=pk)
        values = valid_input(ReportInput, request)
        result = report_submit(
            observation=observation,
            on=values.get("on") or timezone.localdate(),
            slot=values.get("slot") or current_slot(),
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
            raise invalid("state", _("state 应为 open、handled 或 all"))
        return alerts_list(user=self.request.user, state=state)


class AlertHandleApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.ALERTS_HANDLE

    @extend_schema(
        request=HandleInput,
        responses={200: AlertOutput, **error_responses(400, 403, 404)},
        summary="处置预警",
    )
    def post(self, request: Request, pk: int) -> Response:
        alert = get_visible_or_404(
            Alert.objects.select_related("person", "area"), request.user, pk=pk
        )
        values = valid_input(HandleInput, request)
        alert = alert_handle(actor=request.user, alert=alert, handling=values["handling"])
        return Response(AlertOutput(alert).data)


class CallTasksApi(ScopedListAPIView):
    """Calls to make about missed reports (raised by `fangkong daily`)."""

    serializer_class = CallTaskOutput
    capability = ArrivalsCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("state", str, enum=[*CallTaskStatus.values, MINE, "all"])]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CallTask]:
        state = self.request.query_params.get("state", CallTaskStatus.OPEN)
        if state not in (*CallTaskStatus.values, MINE, "all"):
            raise invalid("state", _("state 应为 open、done 或 all"))
        return call_tasks_list(user=self.request.user, state=state)


class CallTaskDoneApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.HEALTH_RECORD

    @extend_schema(
        request=NoteInput,
        responses={200: CallTaskOutput, **error_responses(400, 403, 404)},
        summary="完成电话询问",
    )
    def post(self, request: Request, pk: int) -> Response:
        task = get_visible_or_404(
            CallTask.objects.select_related("observation__person", "observation__area"),
            request.user,
            pk=pk,
        )
        values = valid_input(NoteInput, request)
        task = call_task_done(actor=request.user, task=task, note=values["note"])
        return Response(CallTaskOutput(task).data)


class AssignInput(serializers.Serializer):  # type: ignore[type-arg]
    assignee = IdField(allow_null=True, help_text="账号 id；null 为取消分配")


class AttemptInput(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CallTaskAssignApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.HEALTH_RECORD

    @extend_schema(
        request=AssignInput,
        responses={200: CallTaskOutput, **error_responses(400, 401, 403, 404)},
        summary="分配电话询问",
    )
    def post(self, request: Request, pk: int) -> Response:
        task = get_visible_or_404(CallTask, request.user, pk=pk)
        values = valid_input(AssignInput, request)
        assignee = None
        if values["assignee"] is not None:
            assignee = call_task_assignee(user=request.user, pk=values["assignee"])
            if assignee is None:
                raise invalid("assignee", _("账号不存在或不在您的辖区内"), "unknown")
        task = call_task_assign(actor=request.user, task=task, assignee=assignee)
        return Response(CallTaskOutput(task).data)


class CallTaskAttemptApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.HEALTH_RECORD

    @extend_schema(
        request=AttemptInput,
        responses={200: CallTaskOutput, **error_responses(400, 401, 403, 404)},
        summary="记录一次拨打（接通、无人接听、关机或停机、号码错误）",
    )
    def post(self, request: Request, pk: int) -> Response:
        task = get_visible_or_404(CallTask, request.user, pk=pk)
        values = valid_input(AttemptInput, request)
        task = call_task_attempt(
            actor=request.user, task=task, outcome=values["outcome"], note=values["note"]
        )
        return Response(CallTaskOutput(task).data)


# --- self-reports (no account) ----------------------------------------------------------------
class SelfReportApi(APIView):
    """The personal link's API: GET today's state, POST a temperature for the current half
    day. No account; a forged token answers 400, an expired one or a finished
    observation 403."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    def _link_error(self, error: SelfReportLinkError) -> Response:
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
            observation = self_report_observation(token=token)
        except SelfReportLinkError as error:
            return self._link_error(error)
        state = self_report_status(observation=observation)
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
            ),
            **error_responses(400, 403),
        },
        summary="本人填报体温",
    )
    def post(self, request: Request, token: str) -> Response:
        try:
            observation = self_report_observation(token=token)
        except SelfReportLinkError as error:
            return self._link_error(error)
        values = valid_input(TemperatureInput, request)
        result = self_report_submit(
            token=token, temperature=values["temperature"], symptoms=values.get("symptoms")
        )
        report = result.report
        fever = is_fever(observation, report.temperature)
        day = observation.day_number(report.on)
        said = {"day": day, "slot": report.get_slot_display(), "temperature": report.temperature}
        message = (
            _("已收到，第 %(day)s 天%(slot)s体温 %(temperature)s°C") % said
            if result.created
            else _("本时段已报过：第 %(day)s 天%(slot)s体温 %(temperature)s°C") % said
        )
        if fever or report.symptoms:
            message += _("；社区医生会尽快联系您")
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
