"""Observations over the API: the lists by state and due date, one observation with its
events, reports, alerts and call tasks, and the moves of its life cycle (reports, alerts,
call tasks and self-reports: arrivals.health.api).

Everything is scoped to the caller's area (404 outside it); document numbers and phones
are masked; bad input is a 4xx naming the field and the reason."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.selectors import area_visible_by_code
from fangkong.arrivals.health.services import is_fever, self_report_deadline, self_report_token
from fangkong.arrivals.models import (
    Alert,
    ArrivalNotice,
    CallTask,
    HealthReport,
    Observation,
    ObservationEvent,
    ObservationMode,
    ObservationStatus,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.observation.selectors import DUE_FILTERS, observations_list
from fangkong.arrivals.observation.services import (
    notice_arrive,
    observation_cancel,
    observation_extend,
    observation_release,
    observation_shorten,
    observation_start,
    observation_to_hospital,
)
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses, valid_input
from fangkong.core.errors import invalid
from fangkong.core.ids import IdField
from fangkong.core.qr import qr_svg
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
    address = serializers.SerializerMethodField()
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

    def get_address(self, observation: Observation) -> str | None:
        """The address in words; null for an observation at a unit without one."""
        return str(observation.address) if observation.address_id else None


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
        return is_fever(report.observation, report.temperature)


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
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)

    class Meta:
        model = CallTask
        fields = [
            "id",
            "observation",
            "person",
            "area",
            "on",
            "missed",
            "status",
            "note",
            "created_at",
            "done_at",
            "done_by",
            "assignee",
            "outcome",
            "attempts",
            "last_attempt_at",
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


def _require(request: Request, view: APIView, *capabilities: str) -> None:
    user: Any = request.user
    if not any(user.can(c) for c in capabilities):
        view.permission_denied(request, message=_("您的角色无权进行此操作。"))


def observations_queryset() -> QuerySet[Observation]:
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
                enum=list(DUE_FILTERS),
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
            raise invalid(
                "status",
                _("状态应为：%(choices)s") % {"choices": "、".join(ObservationStatus.values)},
            )
        due = params.get("due", "")
        if due and due not in DUE_FILTERS:
            raise invalid("due", _("due 应为：%(choices)s") % {"choices": "、".join(DUE_FILTERS)})
        area = area_visible_by_code(user=user, code=params["area"]) if params.get("area") else None
        return observations_list(
            user=user, tab=due or "", status=status_, area=area, name=params.get("q", "").strip()
        )

    @extend_schema(
        request=ObservationInput, responses={201: ObservationOutput, **error_responses(400, 403)}
    )
    def post(self, request: Request) -> Response:
        _require(request, self, ArrivalsCapability.CHANGE)
        values = valid_input(ObservationInput, request)
        user: Any = request.user
        person = Person.objects.visible_to(user).filter(pk=values["person"]).first()
        if person is None:
            raise invalid(
                "person",
                _("人员编号 %(person)s 不存在或不在您的辖区") % {"person": values["person"]},
                "unknown",
            )
        area = area_visible_by_code(user=user, code=values["area"])
        address = unit = None
        if values.get("address") is not None:
            address = Address.objects.visible_to(user).filter(pk=values["address"]).first()
            if address is None:
                raise invalid("address", _("住址不存在或不在您的辖区"), "unknown")
        if values.get("unit") is not None:
            unit = Unit.objects.visible_to(user).filter(pk=values["unit"]).first()
            if unit is None:
                raise invalid("unit", _("单位不存在或不在您的辖区"), "unknown")
        observation = observation_start(
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
            observations_queryset().prefetch_related(
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
        observation = get_visible_or_404(observations_queryset(), request.user, pk=pk)
        values = valid_input(self.input_class, request)
        observation = self.act(request.user, observation, values)
        return Response(ObservationOutput(observation).data)


class ExtendApi(_ObservationActionApi):
    input_class = DaysInput

    @extend_schema(
        request=DaysInput,
        responses={200: ObservationOutput, **error_responses(400, 403, 404)},
        summary="延长观察",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return observation_extend(
            actor=user, observation=observation, days=values["days"], reason=values["reason"]
        )


class ShortenApi(_ObservationActionApi):
    input_class = DaysInput

    @extend_schema(
        request=DaysInput,
        responses={200: ObservationOutput, **error_responses(400, 403, 404)},
        summary="缩短观察",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return observation_shorten(
            actor=user, observation=observation, days=values["days"], reason=values["reason"]
        )


class ReleaseApi(_ObservationActionApi):
    input_class = ReleaseInput

    @extend_schema(
        request=ReleaseInput,
        responses={200: ObservationOutput, **error_responses(400, 403, 404)},
        summary="解除观察",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        on = values.get("on") or timezone.localdate()
        return observation_release(actor=user, observation=observation, on=on)


class HospitalApi(_ObservationActionApi):
    input_class = HospitalInput
    needs = (ArrivalsCapability.CHANGE, ArrivalsCapability.ALERTS_HANDLE)

    @extend_schema(
        request=HospitalInput,
        responses={200: ObservationOutput, **error_responses(400, 403, 404)},
        summary="转送医院",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return observation_to_hospital(
            actor=user,
            observation=observation,
            on=values.get("on") or timezone.localdate(),
            reason=values["reason"],
        )


class CancelApi(_ObservationActionApi):
    input_class = CancelInput

    @extend_schema(
        request=CancelInput,
        responses={200: ObservationOutput, **error_responses(400, 403, 404)},
        summary="撤销观察",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, user: Any, observation: Observation, values: dict[str, Any]) -> Observation:
        return observation_cancel(actor=user, observation=observation, reason=values["reason"])


class ArriveInput(serializers.Serializer):  # type: ignore[type-arg]
    arrived_on = serializers.DateField(help_text="到京日期（观察第 1 天），不能晚于今天")
    people = serializers.ListField(
        child=IdField(),
        required=False,
        help_text="到京的人员（报备人员的 id）；不给则为全部待到京人员",
    )
    no_show = serializers.ListField(
        child=IdField(), required=False, default=list, help_text="不来了的人员"
    )


class NoticeArriveApi(APIView):
    """Record who of a confirmed notice's group arrived (all, some) and who is not coming;
    each arrival's observation starts linked to the notice."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.CHANGE

    @extend_schema(
        request=ArriveInput,
        responses={201: ObservationOutput(many=True), **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = get_visible_or_404(ArrivalNotice, request.user, pk=pk)
        given = ArriveInput(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        observations = notice_arrive(
            actor=request.user,
            notice=notice,
            arrived_on=values["arrived_on"],
            people=values.get("people"),
            no_show=values["no_show"],
        )
        return Response(
            ObservationOutput(observations, many=True).data, status=status.HTTP_201_CREATED
        )


class SelfReportLinkOutput(serializers.Serializer):  # type: ignore[type-arg]
    url = serializers.CharField(help_text="本人填报体温的签名链接（观察告知书上的二维码即此链接）")
    expires_at = serializers.DateTimeField(help_text="链接失效时间：解除观察当天结束")
    qr_svg = serializers.CharField()


class SelfReportLinkApi(APIView):
    """An active observation's personal self-report link, to send by text message."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.HEALTH_RECORD

    @extend_schema(responses={200: SelfReportLinkOutput, **error_responses(400, 401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        observation = get_visible_or_404(Observation, request.user, pk=pk)
        if observation.status != ObservationStatus.ACTIVE:
            raise invalid("observation", _("观察已结束，本人填报链接不再可用"), "not_active")
        url = request.build_absolute_uri(
            reverse("public:self-report", args=[self_report_token(observation=observation)])
        )
        return Response(
            {
                "url": url,
                "expires_at": self_report_deadline(observation),
                "qr_svg": qr_svg(url),
            }
        )
