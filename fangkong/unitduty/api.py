"""Units' duty over the API: daily unit reports (with sick absences), a unit's profile,
dormitories and their check, findings raised and closed — all scoped to the caller's area.

`POST /api/v1/unitduty/reports/` files a unit's report for a day; an on-site rate above
the policy's limit for the unit's kind comes back as `finding`; a second report for the
same day is a 409 naming `day`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses, valid_input
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.registry.models import Person
from fangkong.unitduty import services
from fangkong.unitduty.checklists import checklist
from fangkong.unitduty.models import (
    Agency,
    BuildingChief,
    ChiefSide,
    Dormitory,
    Finding,
    FindingStatus,
    Inspection,
    Letter,
    Room,
    UnitReport,
)
from fangkong.unitduty.module import UnitDutyCapability
from fangkong.unitduty.selectors import (
    OVERDUE,
    findings_visible,
    letter_in_force,
    reports_visible,
    zero_infection,
)
from fangkong.units.models import Unit, UnitKind
from fangkong.units.services import unit_contact_set, unit_profile_update


class UnitDutyFindingOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    room = serializers.IntegerField(source="room_id", allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id", "unit", "unit_name", "source", "description", "deadline", "responsible",
            "status", "overdue", "room", "raised_at", "closed_at", "closing_note",
        ]  # fmt: skip

    def get_overdue(self, obj: Finding) -> bool:
        return obj.overdue_on(timezone.localdate())


class UnitDutySickOutput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="masked_name", help_text="masked: 张*")
    symptoms = serializers.CharField()
    since = serializers.DateField()
    temperature = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    fever = serializers.BooleanField()
    alert = serializers.IntegerField(source="alert_id", allow_null=True)


class UnitDutyReportOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField(source="unit_id")
    sick_absences = UnitDutySickOutput(many=True, source="sick_absences.all")
    finding = serializers.SerializerMethodField()

    class Meta:
        model = UnitReport
        fields = [
            "id", "unit", "day", "staff_expected", "staff_on_site", "staff_home",
            "temperatures_checked", "key_group_staff", "key_group_checked", "note",
            "sick_absences", "finding",
        ]  # fmt: skip

    def get_finding(self, obj: UnitReport) -> int | None:
        finding = Finding.objects.filter(report=obj).values_list("pk", flat=True).first()
        return finding


class UnitDutySickInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=50)
    symptoms = serializers.CharField(max_length=100, required=False, allow_blank=True)
    since = serializers.DateField()
    temperature = serializers.CharField(max_length=10, required=False, allow_blank=True)
    person = serializers.IntegerField(required=False, help_text="a registered person's id")


class UnitDutyReportInput(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField()
    day = serializers.DateField(required=False, help_text="default: today")
    staff_expected = serializers.IntegerField(min_value=0)
    staff_on_site = serializers.IntegerField(min_value=0)
    staff_home = serializers.IntegerField(min_value=0, default=0)
    temperatures_checked = serializers.IntegerField(min_value=0)
    key_group_staff = serializers.IntegerField(min_value=0, default=0)
    key_group_checked = serializers.IntegerField(min_value=0, default=0)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sick_absences = UnitDutySickInput(many=True, required=False, default=list)


class UnitDutyProfileInput(serializers.Serializer):  # type: ignore[type-arg]
    """The fields given change; those left out keep their values."""

    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    headcount = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    legal_representative = serializers.CharField(max_length=50, required=False, allow_blank=True)
    contact_username = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="the unit-contact account that files for this unit; blank: none",
    )


class UnitDutyDormitoryInput(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField()
    name = serializers.CharField(max_length=60)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class UnitDutyRoomOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Room
        fields = ["id", "name", "area_m2", "occupants", "bunk_beds", "underground"]


class UnitDutyDormitoryOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField(source="unit_id")
    rooms = UnitDutyRoomOutput(many=True, source="rooms.all")

    class Meta:
        model = Dormitory
        fields = ["id", "unit", "name", "address", "rooms"]


class UnitDutyRoomInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=30)
    area_m2 = serializers.DecimalField(max_digits=6, decimal_places=1)
    occupants = serializers.IntegerField(min_value=0, max_value=1000)
    bunk_beds = serializers.BooleanField(default=False)
    underground = serializers.BooleanField(default=False)


class UnitDutyFailingRoomOutput(serializers.Serializer):  # type: ignore[type-arg]
    room = serializers.IntegerField()
    name = serializers.CharField()
    failures = serializers.ListField(
        child=serializers.CharField(), help_text="area_per_person, occupants, bunk_beds"
    )


class UnitDutyCheckOutput(serializers.Serializer):  # type: ignore[type-arg]
    failing = UnitDutyFailingRoomOutput(many=True)


class UnitDutyFindingInput(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField()
    description = serializers.CharField(max_length=300)
    deadline = serializers.DateField()
    responsible = serializers.CharField(max_length=50, required=False, allow_blank=True)


class UnitDutyCloseInput(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(max_length=200, help_text="what was put right")


def _one(qs: Any, user: Any, field: str, pk: Any) -> Any:
    obj = qs.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise invalid(
            field, _("%(field)s 不存在或不在您的管辖范围内") % {"field": field}, "unknown"
        )
    return obj


class _Needs:
    def need(self, request: Request, capability: str) -> None:
        if not request.user.can(capability):  # type: ignore[union-attr]
            self.permission_denied(request)  # type: ignore[attr-defined]


class ReportsApi(_Needs, ScopedListAPIView):
    """Reports: `day` (YYYY-MM-DD) for one day's."""

    serializer_class = UnitDutyReportOutput
    capability = UnitDutyCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("day", str, description="YYYY-MM-DD")],
        responses={200: UnitDutyReportOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[UnitReport]:
        day = self.request.query_params.get("day")
        parsed = None
        if day:
            try:
                parsed = serializers.DateField().to_internal_value(day)
            except serializers.ValidationError:
                raise invalid("day", _("日期格式应为 YYYY-MM-DD"), "invalid") from None
        return reports_visible(self.request.user, day=parsed).prefetch_related("sick_absences")

    @extend_schema(
        request=UnitDutyReportInput,
        responses={201: UnitDutyReportOutput, **error_responses(400, 403, 409)},
        summary="填报单位日报（在岗率超限成为整改事项；发热的因病缺勤向医务人员预警）",
    )
    def post(self, request: Request) -> Response:
        self.need(request, UnitDutyCapability.REPORT)
        values = valid_input(UnitDutyReportInput, request)
        unit = _one(Unit.objects, request.user, "unit", values.pop("unit"))
        day = values.pop("day", None) or timezone.localdate()
        sick = []
        for i, row in enumerate(values.pop("sick_absences")):
            row = dict(row)
            pk = row.pop("person", None)
            row["person"] = None if pk is None else _one(
                Person.objects, request.user, f"sick_absences.{i}.person", pk
            )  # fmt: skip
            sick.append(row)
        report = services.report_file(
            actor=request.user, unit=unit, day=day, values=values, sick=sick
        )
        return Response(UnitDutyReportOutput(report).data, status=status.HTTP_201_CREATED)


class ProfileApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = UnitDutyCapability.REPORT

    @extend_schema(
        request=UnitDutyProfileInput,
        responses={200: UnitDutyProfileInput, **error_responses(400, 403, 404)},
        summary="单位类型（含七小场所）、地址、在册人数、法定代表人",
    )
    def post(self, request: Request, pk: int) -> Response:
        unit = get_visible_or_404(Unit, request.user, pk=pk)
        current = {
            "kind": unit.kind,
            "address": unit.address,
            "headcount": unit.headcount,
            "legal_representative": unit.legal_representative,
        }
        values = {**current, **valid_input(UnitDutyProfileInput, request)}
        username = values.pop("contact_username", None)
        with transaction.atomic():
            unit = unit_profile_update(actor=request.user, unit=unit, **values)
            if username is not None:
                unit = unit_contact_set(actor=request.user, unit=unit, username=username)
        return Response(
            {
                "kind": unit.kind,
                "address": unit.address,
                "headcount": unit.headcount,
                "legal_representative": unit.legal_representative,
                "contact_username": unit.contact_account.username if unit.contact_account else "",
            }
        )


class DormitoriesApi(_Needs, ScopedListAPIView):
    serializer_class = UnitDutyDormitoryOutput
    capability = UnitDutyCapability.VIEW

    def get_queryset(self) -> QuerySet[Dormitory]:
        return Dormitory.objects.visible_to(self.request.user).prefetch_related("rooms")

    @extend_schema(
        request=UnitDutyDormitoryInput,
        responses={201: UnitDutyDormitoryOutput, **error_responses(400, 403)},
        summary="登记单位的集体宿舍",
    )
    def post(self, request: Request) -> Response:
        self.need(request, UnitDutyCapability.REPORT)
        values = valid_input(UnitDutyDormitoryInput, request)
        unit = _one(Unit.objects, request.user, "unit", values.pop("unit"))
        dorm = services.dormitory_create(actor=request.user, unit=unit, **values)
        return Response(UnitDutyDormitoryOutput(dorm).data, status=status.HTTP_201_CREATED)


class RoomsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = UnitDutyCapability.REPORT

    @extend_schema(
        request=UnitDutyRoomInput,
        responses={201: UnitDutyRoomOutput, **error_responses(400, 403, 404)},
        summary="登记或修改宿舍房间（同名即修改）",
    )
    def post(self, request: Request, pk: int) -> Response:
        dorm = get_visible_or_404(Dormitory, request.user, pk=pk)
        values = valid_input(UnitDutyRoomInput, request)
        room = services.room_save(actor=request.user, dormitory=dorm, **values)
        return Response(UnitDutyRoomOutput(room).data, status=status.HTTP_201_CREATED)


class DormitoryCheckApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = UnitDutyCapability.INSPECT

    @extend_schema(
        request=None,
        responses={200: UnitDutyCheckOutput, **error_responses(400, 403, 404)},
        summary="按现行政策逐间检查宿舍；不达标的房间列为整改事项",
    )
    def post(self, request: Request, pk: int) -> Response:
        dorm = get_visible_or_404(Dormitory.objects.select_related("unit"), request.user, pk=pk)
        failing = services.dormitory_check(
            actor=request.user, dormitory=dorm, on=timezone.localdate()
        )
        return Response(
            {
                "failing": [
                    {"room": room.pk, "name": room.name, "failures": codes}
                    for room, codes in failing
                ]
            }
        )


class FindingsApi(_Needs, ScopedListAPIView):
    """Findings: `status` open (default: all), closed, or overdue."""

    serializer_class = UnitDutyFindingOutput
    capability = UnitDutyCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=[*FindingStatus.values, OVERDUE])],
        responses={200: UnitDutyFindingOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Finding]:
        wanted = self.request.query_params.get("status") or None
        if wanted and wanted not in (*FindingStatus.values, OVERDUE):
            raise invalid("status", _("没有这个状态"), "invalid")
        return findings_visible(self.request.user, status=wanted, today=timezone.localdate())

    @extend_schema(
        request=UnitDutyFindingInput,
        responses={201: UnitDutyFindingOutput, **error_responses(400, 403)},
        summary="检查发现问题，下达整改事项（期限、责任人）",
    )
    def post(self, request: Request) -> Response:
        self.need(request, UnitDutyCapability.INSPECT)
        values = valid_input(UnitDutyFindingInput, request)
        unit = _one(Unit.objects, request.user, "unit", values.pop("unit"))
        finding = services.finding_raise(actor=request.user, unit=unit, **values)
        return Response(UnitDutyFindingOutput(finding).data, status=status.HTTP_201_CREATED)


class FindingCloseApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = UnitDutyCapability.INSPECT

    @extend_schema(
        request=UnitDutyCloseInput,
        responses={200: UnitDutyFindingOutput, **error_responses(400, 403, 404, 409)},
        summary="复查合格，关闭整改事项",
    )
    def post(self, request: Request, pk: int) -> Response:
        finding = get_visible_or_404(Finding, request.user, pk=pk)
        values = valid_input(UnitDutyCloseInput, request)
        finding = services.finding_close(actor=request.user, finding=finding, **values)
        return Response(UnitDutyFindingOutput(finding).data)


class UnitDutyInspectionInput(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField()
    agency = serializers.ChoiceField(choices=Agency.choices)
    failed = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True),
        required=False,
        default=dict,
        help_text="checklist code → what was seen; each becomes a finding",
    )
    deadline = serializers.DateField()
    responsible = serializers.CharField(max_length=50, required=False, allow_blank=True)


class UnitDutyInspectionOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField(source="unit_id")
    findings = serializers.PrimaryKeyRelatedField(many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Inspection
        fields = ["id", "unit", "agency", "on", "failed", "findings"]


class UnitDutyLetterInput(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField()
    signed_by = serializers.CharField(max_length=50)
    signed_on = serializers.DateField()
    expires_on = serializers.DateField()


class UnitDutyLetterOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField(source="unit_id")

    class Meta:
        model = Letter
        fields = ["id", "unit", "signed_by", "signed_on", "expires_on"]


class UnitDutyStatusOutput(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField()
    kind = serializers.CharField()
    checklist = serializers.DictField(child=serializers.CharField())
    letter = UnitDutyLetterOutput(allow_null=True)
    zero_infection = serializers.BooleanField(help_text="零感染单位 where the rules allow")


class InspectionsApi(_Needs, ScopedListAPIView):
    serializer_class = UnitDutyInspectionOutput
    capability = UnitDutyCapability.VIEW

    def get_queryset(self) -> QuerySet[Inspection]:
        return Inspection.objects.visible_to(self.request.user).prefetch_related("findings")

    @extend_schema(
        request=UnitDutyInspectionInput,
        responses={201: UnitDutyInspectionOutput, **error_responses(400, 403)},
        summary="按单位类型的检查表登记检查；不合格项逐项成为整改事项",
    )
    def post(self, request: Request) -> Response:
        self.need(request, UnitDutyCapability.INSPECT)
        values = valid_input(UnitDutyInspectionInput, request)
        unit = _one(Unit.objects, request.user, "unit", values.pop("unit"))
        inspection = services.inspection_record(actor=request.user, unit=unit, **values)
        return Response(UnitDutyInspectionOutput(inspection).data, status=status.HTTP_201_CREATED)


class LettersApi(_Needs, ScopedListAPIView):
    serializer_class = UnitDutyLetterOutput
    capability = UnitDutyCapability.VIEW

    def get_queryset(self) -> QuerySet[Letter]:
        return Letter.objects.visible_to(self.request.user)

    @extend_schema(
        request=UnitDutyLetterInput,
        responses={201: UnitDutyLetterOutput, **error_responses(400, 403)},
        summary="登记单位签署的防控责任书及有效期",
    )
    def post(self, request: Request) -> Response:
        self.need(request, UnitDutyCapability.REPORT)
        values = valid_input(UnitDutyLetterInput, request)
        unit = _one(Unit.objects, request.user, "unit", values.pop("unit"))
        letter = services.letter_record(actor=request.user, unit=unit, **values)
        return Response(UnitDutyLetterOutput(letter).data, status=status.HTTP_201_CREATED)


class UnitDutyApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = UnitDutyCapability.VIEW

    @extend_schema(responses={200: UnitDutyStatusOutput, **error_responses(403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        unit = get_visible_or_404(Unit, request.user, pk=pk)
        today = timezone.localdate()
        letter = letter_in_force(unit, today)
        return Response(
            {
                "unit": unit.pk,
                "kind": unit.kind,
                "checklist": {code: str(label) for code, label in checklist(unit.kind).items()},
                "letter": UnitDutyLetterOutput(letter).data if letter else None,
                "zero_infection": zero_infection(unit, today),
            }
        )


class UnitDutyChiefInput(serializers.Serializer):  # type: ignore[type-arg]
    side = serializers.ChoiceField(choices=ChiefSide.choices)
    name = serializers.CharField(max_length=50)


class UnitDutyChiefOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = BuildingChief
        fields = ["side", "name", "appointed_on"]


class ChiefsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = UnitDutyCapability.REPORT

    @extend_schema(
        request=UnitDutyChiefInput,
        responses={200: UnitDutyChiefOutput(many=True), **error_responses(400, 403, 404)},
        summary="商务楼宇的双楼长（街道、物业各一人）",
    )
    def post(self, request: Request, pk: int) -> Response:
        unit = get_visible_or_404(Unit, request.user, pk=pk)
        values = valid_input(UnitDutyChiefInput, request)
        services.chief_set(actor=request.user, unit=unit, **values)
        return Response(UnitDutyChiefOutput(unit.building_chiefs.all(), many=True).data)
