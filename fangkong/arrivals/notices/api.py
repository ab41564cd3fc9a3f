"""Advance notices over the API: file, confirm or reject, register an unannounced arrival
(inspections, letters and spot checks: arrivals.inspections.api). Each notice is looked up
through the caller's area (another community's answers 404); document numbers and phones
are masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.models import Area
from fangkong.areas.selectors import area_visible_by_code
from fangkong.arrivals.inspections.api import InspectionOutput, LetterOutput, SpotCheckOutput
from fangkong.arrivals.models import (
    ArrivalNotice,
    FiledBy,
    NoticePerson,
    NoticeStatus,
    ObservationMode,
    ResponsibilityLetter,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.notices.public import count_filing, over_limit
from fangkong.arrivals.notices.selectors import (
    area_for_notice_token,
    notice_link_areas,
    notice_link_token,
    notice_next_step,
    notice_reference,
    notices_for,
)
from fangkong.arrivals.notices.services import (
    notice_confirm,
    notice_file,
    notice_reject,
    notice_reschedule,
    unannounced_register,
)
from fangkong.audit.services import client_ip
from fangkong.core.api import (
    HasCapability,
    ScopedListAPIView,
    error_response,
    error_responses,
    valid_input,
)
from fangkong.core.errors import invalid
from fangkong.core.ids import IdField
from fangkong.core.qr import qr_svg
from fangkong.core.scoping import get_visible_or_404
from fangkong.policy.models import PolicyVersion
from fangkong.registry.models import DocumentType, Person, ResidenceKind, Residency
from fangkong.units.models import Unit

# --- output ----------------------------------------------------------------------------------


class PolicyRefOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PolicyVersion
        fields = ["id", "label", "effective_from"]


class NoticePersonOutput(serializers.Serializer):  # type: ignore[type-arg]
    """Masked. `person` is the registry id, given only when the caller may open it."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    document_type = serializers.CharField()
    document_number = serializers.CharField(source="document_masked")
    phone = serializers.CharField(source="phone_masked")
    person = serializers.SerializerMethodField()

    def get_person(self, row: NoticePerson) -> int | None:
        visible: set[int] = self.context.get("visible_people", set())
        return row.person_id if row.person_id in visible else None


class NoticeOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    reference = serializers.SerializerMethodField()
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    status_label = serializers.CharField(source="get_status_display")
    filer_phone = serializers.CharField(source="filer_phone_masked")
    address = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", default=None, allow_null=True)
    policy = PolicyRefOutput(allow_null=True)
    people_count = serializers.SerializerMethodField()

    class Meta:
        model = ArrivalNotice
        fields = [
            "id",
            "reference",
            "area",
            "area_name",
            "status",
            "status_label",
            "filed_by",
            "filer_name",
            "filer_phone",
            "origin_code",
            "origin_name",
            "planned_on",
            "mode",
            "address",
            "unit",
            "unit_name",
            "decision",
            "observation_days",
            "policy",
            "unannounced",
            "note",
            "people_count",
            "created_at",
            "confirmed_at",
        ]

    def get_reference(self, notice: ArrivalNotice) -> str:
        return notice_reference(notice)

    def get_address(self, notice: ArrivalNotice) -> str | None:
        return str(notice.address) if notice.address else None

    def get_people_count(self, notice: ArrivalNotice) -> int:
        return int(getattr(notice, "people_count", None) or notice.people.count())


class NoticeDetailOutput(NoticeOutput):
    people = serializers.SerializerMethodField()
    inspections = InspectionOutput(many=True, read_only=True)
    letter = serializers.SerializerMethodField()
    spot_checks = SpotCheckOutput(many=True, read_only=True)
    next_step = serializers.SerializerMethodField()

    class Meta(NoticeOutput.Meta):
        fields = [
            *NoticeOutput.Meta.fields,
            "people",
            "inspections",
            "letter",
            "spot_checks",
            "next_step",
        ]

    @extend_schema_field(NoticePersonOutput(many=True))
    def get_people(self, notice: ArrivalNotice) -> list[Any]:
        rows = list(notice.people.order_by("id"))
        user = self.context["request"].user
        ids = [r.person_id for r in rows if r.person_id]
        visible = set(
            Person.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        return list(NoticePersonOutput(rows, many=True, context={"visible_people": visible}).data)

    @extend_schema_field(LetterOutput(allow_null=True))
    def get_letter(self, notice: ArrivalNotice) -> dict[str, Any] | None:
        letter = ResponsibilityLetter.objects.filter(notice=notice).select_related("unit").first()
        return dict(LetterOutput(letter).data) if letter else None

    def get_next_step(self, notice: ArrivalNotice) -> str:
        return notice_next_step(notice)


def _detail(request: Request, notice: ArrivalNotice, code: int = status.HTTP_200_OK) -> Response:
    notice = ArrivalNotice.objects.select_related("area", "unit", "policy", "address").get(
        pk=notice.pk
    )
    return Response(NoticeDetailOutput(notice, context={"request": request}).data, status=code)


# --- input -----------------------------------------------------------------------------------


class NoticePersonInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    document_type = serializers.ChoiceField(
        choices=DocumentType.choices, required=False, default=DocumentType.RESIDENT_ID
    )
    document_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class PlaceInput(serializers.Serializer):  # type: ignore[type-arg]
    building = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    entrance = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    room = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    unit = IdField(
        required=False, allow_null=True, default=None, help_text="用工单位编号（单位集中观察）"
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class NoticeInput(PlaceInput):
    """Structure only; the rules (dates, documents, the policy) live in
    arrivals.notices.services."""

    area = serializers.CharField(max_length=32, help_text="社区、村或片区代码")
    filed_by = serializers.ChoiceField(choices=FiledBy.choices, default=FiledBy.WORKER)
    filer_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    filer_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    origin_code = serializers.CharField(
        max_length=16, help_text="省级行政区划代码（如 410000 河南省）或 overseas"
    )
    origin_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    planned_on = serializers.DateField(help_text="计划到京日期：今天到 90 天内")
    mode = serializers.ChoiceField(choices=ObservationMode.choices)
    people = NoticePersonInput(many=True, help_text="至少一人")


class ConfirmInput(serializers.Serializer):  # type: ignore[type-arg]
    unit = IdField(
        required=False, allow_null=True, default=None, help_text="单位集中观察尚未选定单位时必填"
    )


class RejectInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=200, allow_blank=True)


class UnannouncedPersonInput(NoticePersonInput):
    residency = serializers.ChoiceField(choices=Residency.choices, required=False)


class UnannouncedInput(PlaceInput):
    area = serializers.CharField(max_length=32, help_text="社区、村或片区代码")
    person = UnannouncedPersonInput()
    origin_code = serializers.CharField(max_length=16)
    origin_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    arrived_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=ObservationMode.choices, default=ObservationMode.HOME)
    residence_kind = serializers.ChoiceField(
        choices=ResidenceKind.choices, required=False, allow_null=True, default=None
    )
    landlord = IdField(
        required=False, allow_null=True, default=None, help_text="房东的人员编号（须已登记）"
    )


# --- helpers ---------------------------------------------------------------------------------


def _unit(user: Any, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.visible_to(user).filter(pk=unit_id).first()
    if unit is None:
        raise invalid(
            "unit",
            _("单位编号 %(unit_id)s 不存在或不在您的辖区") % {"unit_id": unit_id},
            "unknown_unit",
        )
    return unit


def _landlord(user: Any, landlord_id: int | None) -> Person | None:
    if landlord_id is None:
        return None
    landlord = Person.objects.visible_to(user).active().filter(pk=landlord_id).first()
    if landlord is None:
        raise invalid(
            "landlord",
            _("人员编号 %(landlord_id)s 不存在或不在您的辖区") % {"landlord_id": landlord_id},
            "unknown_person",
        )
    return landlord


def _file(actor: Any, area: Area, values: dict[str, Any], unit: Unit | None = None) -> Any:
    """notice_file with a validated NoticeInput (from a worker, or the public link)."""
    return notice_file(
        actor=actor,
        area=area,
        filed_by=values["filed_by"],
        filer_name=values["filer_name"],
        filer_phone=values["filer_phone"],
        origin_code=values["origin_code"],
        origin_name=values["origin_name"],
        planned_on=values["planned_on"],
        mode=values["mode"],
        people=values["people"],
        building=values["building"],
        entrance=values["entrance"],
        room=values["room"],
        unit=unit,
        note=values["note"],
    )


def _notice(request: Request, pk: int) -> ArrivalNotice:
    return get_visible_or_404(ArrivalNotice.objects.select_related("area"), request.user, pk=pk)


class _NoticeAction(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability: str | None = ArrivalsCapability.CHANGE


# --- views -----------------------------------------------------------------------------------


class ArrivalNoticesApi(ScopedListAPIView):
    """Notices in the caller's area, pending confirmation first. POST files a notice as a
    worker: confirmed at once, with the policy decision."""

    serializer_class = NoticeOutput
    capability = ArrivalsCapability.VIEW

    def base_queryset(self) -> Any:
        return ArrivalNotice.objects.all()

    def get_queryset(self) -> QuerySet[ArrivalNotice]:
        params = self.request.query_params
        user = self.request.user
        state = params.get("status", "")
        if state and state not in NoticeStatus.values:
            raise invalid("status", _("未知状态“%(state)s”") % {"state": state}, "invalid_choice")
        area = area_visible_by_code(user=user, code=params["area"]) if params.get("area") else None
        return notices_for(user=user, status=state, area=area, q=params.get("q", ""))

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=NoticeStatus.values),
            OpenApiParameter("area", str, description="区域代码（含下级）"),
            OpenApiParameter("q", str, description="姓名、报备人、来源地、单位或报备编号"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=NoticeInput, responses={201: NoticeDetailOutput, **error_responses(400, 403)}
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(ArrivalsCapability.CHANGE):  # type: ignore[union-attr]
            self.permission_denied(request, message=_("您的角色不能登记返京报备。"))
        values = valid_input(NoticeInput, request)
        area = area_visible_by_code(user=request.user, code=values["area"])
        notice = _file(request.user, area, values, unit=_unit(request.user, values["unit"]))
        return _detail(request, notice, status.HTTP_201_CREATED)


class ArrivalNoticeApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.VIEW

    @extend_schema(responses={200: NoticeDetailOutput})
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, _notice(request, pk))


class NoticeConfirmApi(_NoticeAction):
    """The community called the filer and believes the notice."""

    @extend_schema(
        request=ConfirmInput, responses={200: NoticeDetailOutput, **error_responses(400, 403, 404)}
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = _notice(request, pk)
        values = valid_input(ConfirmInput, request)
        notice = notice_confirm(
            actor=request.user,  # type: ignore[arg-type]
            notice=notice,
            unit=_unit(request.user, values["unit"]),
        )
        return _detail(request, notice)


class RescheduleInput(serializers.Serializer):  # type: ignore[type-arg]
    planned_on = serializers.DateField(required=False, allow_null=True, help_text="新的到京日期")
    building = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    entrance = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    room = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class NoticeRescheduleApi(_NoticeAction):
    """A later day, or another address, for a notice whose place failed or that must wait;
    the policy decides again and the notice goes back to inspection."""

    @extend_schema(
        request=RescheduleInput,
        responses={200: NoticeDetailOutput, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = _notice(request, pk)
        values = valid_input(RescheduleInput, request)
        notice = notice_reschedule(actor=request.user, notice=notice, **values)  # type: ignore[arg-type]
        return _detail(request, notice)


class NoticeRejectApi(_NoticeAction):
    @extend_schema(
        request=RejectInput, responses={200: NoticeDetailOutput, **error_responses(400, 403, 404)}
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = _notice(request, pk)
        values = valid_input(RejectInput, request)
        notice = notice_reject(
            actor=request.user,  # type: ignore[arg-type]
            notice=notice,
            reason=values["reason"],
        )
        return _detail(request, notice)


class UnannouncedArrivalsApi(_NoticeAction):
    """A returnee found without notice: registered, housed with the landlord to contact,
    decided by policy and sent to inspection in one call."""

    @extend_schema(
        request=UnannouncedInput,
        responses={201: NoticeDetailOutput, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        values = valid_input(UnannouncedInput, request)
        area = area_visible_by_code(user=request.user, code=values["area"])
        notice = unannounced_register(
            actor=request.user,  # type: ignore[arg-type]
            area=area,
            person_data=values["person"],
            origin_code=values["origin_code"],
            origin_name=values["origin_name"],
            arrived_on=values["arrived_on"],
            building=values["building"],
            entrance=values["entrance"],
            room=values["room"],
            landlord=_landlord(request.user, values["landlord"]),
            mode=values["mode"],
            unit=_unit(request.user, values["unit"]),
            residence_kind=values["residence_kind"],
            note=values["note"],
        )
        return _detail(request, notice, status.HTTP_201_CREATED)


class NoticeLinkOutput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField()
    area_name = serializers.CharField()
    url = serializers.CharField(help_text="公开报备页的签名链接，可发给居民、房东和用工单位")
    qr_svg = serializers.CharField(help_text="该链接的二维码（SVG）")


class NoticeLinkApi(APIView):
    """The community's public notice link and its QR code (the page 返京报备 → 公开链接)."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("area", str, description="社区、村或片区代码；默认第一个")],
        responses={200: NoticeLinkOutput(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        areas = notice_link_areas(user=request.user)
        if request.query_params.get("area"):
            areas = [a for a in areas if a.code == request.query_params["area"]]
        out = []
        for area in areas:
            url = request.build_absolute_uri(
                reverse("public:notice", args=[notice_link_token(area)])
            )
            out.append(
                {"area": area.code, "area_name": area.name, "url": url, "qr_svg": qr_svg(url)}
            )
        return Response(out)


class PublicNoticeInput(NoticeInput):
    """The public page's notice: the filer is the returnee, a landlord or an employer."""

    area = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", help_text="片区代码（可选）"
    )
    filed_by = serializers.ChoiceField(choices=FiledBy.choices, help_text="本人、房东或用工单位")
    filer_name = serializers.CharField(max_length=50)
    filer_phone = serializers.CharField(max_length=40)

    def validate_filed_by(self, value: str) -> str:
        if value == FiledBy.WORKER:
            raise serializers.ValidationError(_("社区工作人员请登录后报备"), code="invalid_choice")
        return value


class PublicNoticeOutput(serializers.Serializer):  # type: ignore[type-arg]
    reference = serializers.CharField(help_text="报备编号，电话核实时报给社区")
    status = serializers.CharField()


class PublicNoticeApi(APIView):
    """File a notice without an account, through a community's signed link (the page
    /r/notice/<token>/): limited per address and per community like the page; nothing is
    counted until the community has phoned the filer and confirmed."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=PublicNoticeInput,
        responses={201: PublicNoticeOutput, **error_responses(400, 404, 429)},
    )
    def post(self, request: Request, token: str) -> Response:
        community = area_for_notice_token(token)
        if community is None:
            raise Http404
        ip = client_ip(request._request) or "unknown"
        if over_limit(ip, community):
            return error_response(
                [{"field": None, "code": "too_many", "reason": _("提交次数过多，请一小时后再试")}],
                status.HTTP_429_TOO_MANY_REQUESTS,
            )
        values = valid_input(PublicNoticeInput, request)
        zone = community.children.filter(code=values["area"]).first() if values["area"] else None
        if values["area"] and zone is None:
            raise invalid(
                "area",
                _("片区“%(zone)s”不属于这个社区") % {"zone": values["area"]},
                "unknown_area",
            )
        notice = _file(None, zone or community, values)
        count_filing(ip, community)
        return Response(
            {"reference": notice_reference(notice), "status": notice.status},
            status=status.HTTP_201_CREATED,
        )
