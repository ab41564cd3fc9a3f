"""Inspections, responsibility letters and spot checks over the API. Each notice is looked
up through the caller's area (another community's answers 404)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.arrivals.inspections.services import (
    inspection_record,
    letter_sign,
    spot_check_record,
    spot_checks_schedule,
)
from fangkong.arrivals.models import (
    CHECKLISTS,
    ArrivalNotice,
    Inspection,
    ObservationMode,
    ResponsibilityLetter,
    SpotCheck,
    SpotCheckResult,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.core.api import HasCapability, error_responses, valid_input
from fangkong.core.scoping import get_visible_or_404

# --- output ----------------------------------------------------------------------------------


class InspectionMemberOutput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    role = serializers.CharField()


class InspectionOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    team = InspectionMemberOutput(many=True, read_only=True)
    inspector = serializers.CharField(source="inspector.username")
    checklist = serializers.DictField(child=serializers.BooleanField())

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "result",
            "checklist",
            "reasons",
            "inspected_on",
            "team",
            "inspector",
        ]


class LetterOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = ResponsibilityLetter
        fields = ["id", "unit", "unit_name", "signed_on", "unit_signatory", "community_signatory"]


class SpotCheckOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    checked_by = serializers.CharField(source="checked_by.username", default=None, allow_null=True)

    class Meta:
        model = SpotCheck
        fields = ["id", "notice", "scheduled_on", "done_on", "result", "findings", "checked_by"]


# --- input -----------------------------------------------------------------------------------


class InspectionInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(
        choices=[ObservationMode.HOME, ObservationMode.UNIT],
        required=False,
        help_text="默认与报备的观察方式相同",
    )
    checklist = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="核查项代码 → 是否符合；缺的项按不符合计。居家："
        + "、".join(CHECKLISTS[ObservationMode.HOME])
        + "；单位："
        + "、".join(CHECKLISTS[ObservationMode.UNIT]),
    )
    team = InspectionMemberOutput(many=True, help_text="核查组成员：姓名和职责")
    inspected_on = serializers.DateField()
    reasons = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LetterInput(serializers.Serializer):  # type: ignore[type-arg]
    signed_on = serializers.DateField()
    unit_signatory = serializers.CharField(max_length=50, allow_blank=True)
    community_signatory = serializers.CharField(max_length=50, allow_blank=True)


class ScheduleInput(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField(min_value=1, max_value=60)
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)
    seed = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="给定则抽取结果可重现"
    )


class SpotCheckInput(serializers.Serializer):  # type: ignore[type-arg]
    done_on = serializers.DateField()
    result = serializers.ChoiceField(choices=[SpotCheckResult.COMPLIANT, SpotCheckResult.PROBLEM])
    findings = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


# --- helpers ---------------------------------------------------------------------------------


def _notice(request: Request, pk: int) -> ArrivalNotice:
    return get_visible_or_404(ArrivalNotice.objects.select_related("area"), request.user, pk=pk)


class _NoticeAction(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability: str | None = ArrivalsCapability.CHANGE


# --- views -----------------------------------------------------------------------------------


class NoticeInspectionsApi(_NoticeAction):
    """观察条件核查: passes only if every checklist item is true; a failure needs reasons."""

    capability = ArrivalsCapability.INSPECT

    @extend_schema(
        request=InspectionInput, responses={201: InspectionOutput, **error_responses(400, 403, 404)}
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = _notice(request, pk)
        values = valid_input(InspectionInput, request)
        inspection = inspection_record(
            actor=request.user,  # type: ignore[arg-type]
            notice=notice,
            kind=values.get("kind") or notice.mode,
            checklist=values["checklist"],
            team=[(m["name"], m["role"]) for m in values["team"]],
            inspected_on=values["inspected_on"],
            reasons=values["reasons"],
        )
        return Response(InspectionOutput(inspection).data, status=status.HTTP_201_CREATED)


class NoticeLetterApi(_NoticeAction):
    """《疫情防控责任书》 signed by the unit of a unit observation."""

    @extend_schema(
        request=LetterInput, responses={201: LetterOutput, **error_responses(400, 403, 404)}
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = _notice(request, pk)
        values = valid_input(LetterInput, request)
        letter = letter_sign(
            actor=request.user,  # type: ignore[arg-type]
            notice=notice,
            signed_on=values["signed_on"],
            unit_signatory=values["unit_signatory"],
            community_signatory=values["community_signatory"],
        )
        return Response(LetterOutput(letter).data, status=status.HTTP_201_CREATED)


class NoticeSpotChecksApi(_NoticeAction):
    """Unannounced spot checks of a unit observation. POST draws random dates."""

    capability = ArrivalsCapability.VIEW

    @extend_schema(responses={200: SpotCheckOutput(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        notice = _notice(request, pk)
        checks = notice.spot_checks.select_related("checked_by")
        return Response(SpotCheckOutput(checks, many=True).data)

    @extend_schema(
        request=ScheduleInput,
        responses={201: SpotCheckOutput(many=True), **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        if not request.user.can(ArrivalsCapability.CHANGE):  # type: ignore[union-attr]
            self.permission_denied(request, message=_("您的角色不能安排抽查。"))
        notice = _notice(request, pk)
        values = valid_input(ScheduleInput, request)
        checks = spot_checks_schedule(
            actor=request.user,  # type: ignore[arg-type]
            notice=notice,
            **values,
        )
        return Response(SpotCheckOutput(checks, many=True).data, status=status.HTTP_201_CREATED)


class SpotCheckApi(_NoticeAction):
    capability = ArrivalsCapability.INSPECT

    @extend_schema(
        request=SpotCheckInput, responses={200: SpotCheckOutput, **error_responses(400, 403, 404)}
    )
    def post(self, request: Request, pk: int) -> Response:
        check = get_visible_or_404(SpotCheck, request.user, pk=pk)
        values = valid_input(SpotCheckInput, request)
        check = spot_check_record(
            actor=request.user,  # type: ignore[arg-type]
            check=check,
            done_on=values["done_on"],
            result=values["result"],
            findings=values["findings"],
        )
        return Response(SpotCheckOutput(check).data)
