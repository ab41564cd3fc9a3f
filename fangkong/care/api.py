"""Care over the API: today's care-call list and recording a call, requests (list, raise,
take, close) and the resident's own requests through the self-report link's token (no
account): `GET`/`POST /api/v1/care/self-requests/<token>/`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.accounts.models import User
from fangkong.areas.selectors import area_visible_by_code
from fangkong.arrivals.health.services import SelfReportLinkError, self_report_observation
from fangkong.arrivals.models import Observation
from fangkong.care import selectors, services
from fangkong.care.models import Announcement, CallOutcome, CareCall, CareRequest, RequestKind
from fangkong.care.module import CareCapability
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


class CareMemberOutput(serializers.Serializer):  # type: ignore[type-arg]
    observation = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="person.masked_name", help_text="遮挡后的姓名")
    last_day = serializers.DateField()
    call_outcome = serializers.ChoiceField(
        choices=CallOutcome.choices, allow_null=True, help_text="今天打给此人的最近一次结果"
    )
    open_requests = serializers.IntegerField()


class CareHouseholdOutput(serializers.Serializer):  # type: ignore[type-arg]
    """One household: the people under observation at one address (or one person with no
    address). `observation` and `name` are its first member's, as before households."""

    household = serializers.CharField(
        source="key", help_text="a<address id>, or o<observation id> without an address"
    )
    observation = serializers.IntegerField(source="pk", help_text="the first member's")
    name = serializers.CharField(source="first.person.masked_name", help_text="遮挡后的姓名")
    area = serializers.CharField(source="area.code")
    address = serializers.CharField(allow_null=True, default=None)
    last_day = serializers.DateField(help_text="the last day of the household's observations")
    call_outcome = serializers.ChoiceField(
        choices=CallOutcome.choices, allow_null=True, help_text="今天这一户最近一次关怀电话的结果"
    )
    called = serializers.IntegerField(
        source="called.pk", allow_null=True, default=None, help_text="whom that call reached"
    )
    calls_today = serializers.IntegerField()
    open_requests = serializers.IntegerField()
    members = CareMemberOutput(many=True)


class CareCallOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    observation = serializers.IntegerField(source="observation_id")
    by = serializers.CharField(source="by.username")
    requests = serializers.SerializerMethodField()

    class Meta:
        model = CareCall
        fields = ["id", "observation", "on", "outcome", "needs", "note", "by", "at", "requests"]

    def get_requests(self, call: CareCall) -> list[int]:
        return list(call.requests.values_list("pk", flat=True))


class CareCallInput(serializers.Serializer):  # type: ignore[type-arg]
    observation = IdField()
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    needs = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    request_kind = serializers.ChoiceField(
        choices=RequestKind.choices, required=False, help_text="登记这次电话提出的求助"
    )
    request_detail = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class CareRequestOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    observation = serializers.IntegerField(source="observation_id")
    name = serializers.CharField(source="observation.person.masked_name")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    overdue = serializers.BooleanField()

    class Meta:
        model = CareRequest
        fields = [
            "id", "area", "observation", "name", "kind", "detail", "status", "by_self",
            "raised_at", "due_at", "overdue", "assignee", "volunteer", "taken_at",
            "closed_at", "outcome",
        ]  # fmt: skip


class CareRequestInput(serializers.Serializer):  # type: ignore[type-arg]
    observation = IdField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    detail = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CareTakeInput(serializers.Serializer):  # type: ignore[type-arg]
    assignee = serializers.CharField(
        required=False, help_text="a colleague's username; none: the caller takes it"
    )
    volunteer = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="a volunteer"
    )


class CareCloseInput(serializers.Serializer):  # type: ignore[type-arg]
    done = serializers.BooleanField(help_text="true: 已完成；false: 无法完成 (outcome says why)")
    outcome = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CareSelfRequestInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    detail = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CareSelfRequestOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CareRequest
        fields = ["id", "kind", "detail", "status", "raised_at", "outcome"]


def _observation(user: Any, pk: int) -> Observation:
    observation = (
        Observation.objects.visible_to(user).select_related("person", "area").filter(pk=pk).first()
    )
    if observation is None:
        raise invalid("observation", _("观察记录不存在或不在您的管辖范围内"), "unknown")
    return observation


class CallsApi(ScopedListAPIView):
    """Today's care-call list: every household under observation the caller may see, one
    entry per household with its members. A call is posted for the member called."""

    serializer_class = CareHouseholdOutput
    capability = CareCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("todo", str, enum=["1"], description="只看还没联系上的")],
        responses={200: CareHouseholdOutput(many=True)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors.households(
            user=self.request.user,
            on=timezone.localdate(),
            todo=self.request.query_params.get("todo") == "1",
        )

    @extend_schema(
        request=CareCallInput,
        responses={201: CareCallOutput, **error_responses(400, 403)},
        summary="记录一次关怀电话（可同时登记求助）",
    )
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.can(CareCapability.SERVE):
            self.permission_denied(request)
        values = valid_input(CareCallInput, request)
        call = services.call_record(
            actor=user,
            observation=_observation(user, values["observation"]),
            outcome=values["outcome"],
            needs=values["needs"],
            note=values["note"],
            request_kind=values.get("request_kind", ""),
            request_detail=values["request_detail"],
        )
        return Response(CareCallOutput(call).data, status=status.HTTP_201_CREATED)


class RequestsApi(ScopedListAPIView):
    """Requests the caller may see: `state` open (default) / overdue / mine / new / taken /
    done / failed / all."""

    serializer_class = CareRequestOutput
    capability = CareCapability.VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=["open", "overdue", "mine", "new", "taken", "done", "failed", "all"],
            )
        ],
        responses={200: CareRequestOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[CareRequest]:
        state = self.request.query_params.get("state", "open")
        states = ("open", "overdue", "mine", "new", "taken", "done", "failed", "all")
        if state not in states:
            raise invalid(
                "state", _("state 应为：%(choices)s") % {"choices": "、".join(states)}, "invalid"
            )
        status_ = {"overdue": "open", "mine": "", "all": ""}.get(state, state)
        return selectors.requests_visible(
            user=self.request.user,
            status=status_,
            overdue=state == "overdue",
            mine=state == "mine",
        )

    @extend_schema(
        request=CareRequestInput,
        responses={201: CareRequestOutput, **error_responses(400, 403)},
        summary="为居家观察人员登记求助",
    )
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.can(CareCapability.SERVE):
            self.permission_denied(request)
        values = valid_input(CareRequestInput, request)
        created = services.request_raise(
            actor=user,
            observation=_observation(user, values["observation"]),
            kind=values["kind"],
            detail=values["detail"],
        )
        return Response(CareRequestOutput(created).data, status=status.HTTP_201_CREATED)


class RequestTakeApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = CareCapability.SERVE

    @extend_schema(
        request=CareTakeInput,
        responses={200: CareRequestOutput, **error_responses(400, 403, 404, 409)},
        summary="接单（本人、同事或志愿者）",
    )
    def post(self, request: Request, pk: int) -> Response:
        care_request = get_visible_or_404(CareRequest.objects.all(), request.user, pk=pk)
        values = valid_input(CareTakeInput, request)
        assignee = None
        if values.get("assignee"):
            assignee = User.objects.filter(username=values["assignee"]).first()
            if assignee is None:
                raise invalid("assignee", _("没有这个账号"), "unknown")
        taken = services.request_take(
            actor=request.user,
            request=care_request,
            assignee=assignee,
            volunteer=values["volunteer"],
        )
        return Response(CareRequestOutput(taken).data)


class RequestCloseApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = CareCapability.SERVE

    @extend_schema(
        request=CareCloseInput,
        responses={200: CareRequestOutput, **error_responses(400, 403, 404, 409)},
        summary="办结：已完成，或无法完成（说明原因）",
    )
    def post(self, request: Request, pk: int) -> Response:
        care_request = get_visible_or_404(CareRequest.objects.all(), request.user, pk=pk)
        values = valid_input(CareCloseInput, request)
        closed = services.request_close(
            actor=request.user, request=care_request, done=values["done"], outcome=values["outcome"]
        )
        return Response(CareRequestOutput(closed).data)


class SelfRequestsApi(APIView):
    """我需要帮助 through the personal link: GET the resident's requests and their status,
    POST a new one. No account; a forged token answers 400, an expired one 403."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    def _link_error(self, error: SelfReportLinkError) -> Response:
        return error_response(
            [{"field": "token", "code": error.code, "reason": error.reason}], error.status_code
        )

    @extend_schema(
        responses={200: CareSelfRequestOutput(many=True), **error_responses(400, 403)},
        summary="本人：我的求助及其状态",
    )
    def get(self, request: Request, token: str) -> Response:
        try:
            observation = self_report_observation(token=token)
        except SelfReportLinkError as error:
            return self._link_error(error)
        rows = selectors.requests_of_resident(observation)[:50]
        return Response(CareSelfRequestOutput(rows, many=True).data)

    @extend_schema(
        request=CareSelfRequestInput,
        responses={201: CareSelfRequestOutput, **error_responses(400, 403, 404)},
        summary="本人：我需要帮助",
    )
    def post(self, request: Request, token: str) -> Response:
        try:
            observation = self_report_observation(token=token)
        except SelfReportLinkError as error:
            return self._link_error(error)
        values = valid_input(CareSelfRequestInput, request)
        created = services.request_raise_by_resident(
            observation=observation, kind=values["kind"], detail=values["detail"]
        )
        return Response(CareSelfRequestOutput(created).data, status=status.HTTP_201_CREATED)


class CareAnnouncementOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = Announcement
        fields = ["id", "area", "title", "body", "phones", "starts_on", "ends_on", "withdrawn"]

    def get_withdrawn(self, announcement: Announcement) -> bool:
        return announcement.withdrawn_at is not None


class CareAnnouncementInput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField(help_text="community / village / zone code")
    title = serializers.CharField(max_length=60)
    body = serializers.CharField(max_length=800)
    phones = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


class AnnouncementsApi(ScopedListAPIView):
    serializer_class = CareAnnouncementOutput
    capability = CareCapability.VIEW

    def get_queryset(self) -> QuerySet[Announcement]:
        return selectors.announcements_visible(user=self.request.user)

    @extend_schema(
        request=CareAnnouncementInput,
        responses={201: CareAnnouncementOutput, **error_responses(400, 403)},
        summary="社区发布公告（居民手机页面上显示）",
    )
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.can(CareCapability.SERVE):
            self.permission_denied(request)
        values = valid_input(CareAnnouncementInput, request)
        announcement = services.announcement_publish(
            actor=user,
            area=area_visible_by_code(user=user, code=values.pop("area")),
            **values,
        )
        return Response(CareAnnouncementOutput(announcement).data, status=status.HTTP_201_CREATED)


class AnnouncementWithdrawApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = CareCapability.SERVE

    @extend_schema(
        request=None,
        responses={200: CareAnnouncementOutput, **error_responses(400, 403, 404)},
        summary="撤下公告",
    )
    def post(self, request: Request, pk: int) -> Response:
        announcement = get_visible_or_404(Announcement.objects.all(), request.user, pk=pk)
        announcement = services.announcement_withdraw(actor=request.user, announcement=announcement)
        return Response(CareAnnouncementOutput(announcement).data)


class CareSummaryApi(APIView):
    """The day's care in the caller's area (today by default)."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = CareCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD")],
        responses={
            200: inline_serializer(
                "CareSummary",
                {
                    "date": serializers.DateField(),
                    "calls": serializers.IntegerField(),
                    "raised": serializers.IntegerField(),
                    "done": serializers.IntegerField(),
                    "overdue": serializers.IntegerField(),
                    "median_hours_to_done": serializers.FloatField(allow_null=True),
                },
            ),
            **error_responses(400),
        },
        summary="当日隔离家庭服务：关怀电话、求助、完成、超时、完成用时中位数",
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("date", "")
        try:
            on = dt.date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise invalid("date", _("日期格式应为 2020-03-04"), "invalid") from None
        return Response(selectors.day_summary(user=request.user, on=on))
