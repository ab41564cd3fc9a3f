"""Screening rounds (摸排) over the API: list and start rounds, record visits, read what
changed since the previous round. Every round is looked up through the caller's scope, so
another community's round answers 404."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses
from fangkong.core.errors import invalid
from fangkong.core.ids import IdField
from fangkong.core.scoping import get_visible_or_404
from fangkong.registry.models import (
    Address,
    FindingStatus,
    Person,
    ResidenceKind,
    ScreeningRound,
    ScreeningVisit,
)
from fangkong.registry.module import RegistryCapability
from fangkong.registry.screening.selectors import round_changes, round_progress
from fangkong.registry.screening.services import Finding, round_create, visit_record


class ScreeningRoundOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code", help_text="区域代码")
    area_name = serializers.CharField(source="area.name")

    class Meta:
        model = ScreeningRound
        fields = ["id", "name", "area", "area_name", "starts_on", "ends_on", "created_at"]


class ScreeningProgressOutput(serializers.Serializer):  # type: ignore[type-arg]
    households = serializers.IntegerField(help_text="区域内的户数")
    visited = serializers.IntegerField(help_text="已走访户数")
    percent = serializers.IntegerField()
    present = serializers.IntegerField(help_text="在家人数")
    not_back = serializers.IntegerField(help_text="未返京人数")
    moved_out = serializers.IntegerField(help_text="已搬离人数")


class ScreeningRoundDetailOutput(ScreeningRoundOutput):
    progress = serializers.SerializerMethodField()

    class Meta(ScreeningRoundOutput.Meta):
        fields = [*ScreeningRoundOutput.Meta.fields, "progress"]

    @extend_schema_field(ScreeningProgressOutput)
    def get_progress(self, obj: ScreeningRound) -> dict[str, Any]:
        return dict(ScreeningProgressOutput(round_progress(round=obj)).data)


class ScreeningRoundCreateInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100)
    area = serializers.CharField(max_length=32, help_text="社区、村或片区的代码")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ScreeningFindingInput(serializers.Serializer):  # type: ignore[type-arg]
    person = IdField(help_text="人员 id")
    status = serializers.ChoiceField(choices=FindingStatus.choices)
    away_from = serializers.CharField(
        max_length=100, allow_blank=True, default="", help_text="未返京时必填：所在地"
    )
    kind = serializers.ChoiceField(
        choices=ResidenceKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="新发现人员的居住类型（不填则沿用原居住类型，没有则为租住）",
    )


class ScreeningVisitInput(serializers.Serializer):  # type: ignore[type-arg]
    address = IdField(help_text="住址 id，须在本轮摸排的区域内")
    visited_on = serializers.DateField()
    observation_notes = serializers.CharField(max_length=300, allow_blank=True, default="")
    findings = ScreeningFindingInput(many=True, allow_empty=True, default=list)


class ScreeningFindingOutput(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    status = serializers.CharField()
    away_from = serializers.CharField()


class ScreeningVisitOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    address = serializers.IntegerField(source="address_id")
    address_label = serializers.CharField(source="address.__str__")
    area = serializers.CharField(source="address.area.code")
    worker = serializers.CharField(source="worker.username")
    findings = ScreeningFindingOutput(many=True, source="findings.all")

    class Meta:
        model = ScreeningVisit
        fields = [
            "id",
            "round",
            "address",
            "address_label",
            "area",
            "visited_on",
            "worker",
            "observation_notes",
            "findings",
        ]


class ScreeningPersonChangeOutput(serializers.Serializer):  # type: ignore[type-arg]
    """Names only: document numbers and phones never appear in change lists."""

    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    address = serializers.CharField(source="address.__str__")
    status = serializers.CharField(help_text="本轮情况；空表示本轮未见")
    away_from = serializers.CharField()
    previous_status = serializers.CharField(help_text="上一轮情况；空表示上一轮未登记")
    previous_away_from = serializers.CharField()


class ScreeningChangesOutput(serializers.Serializer):  # type: ignore[type-arg]
    round = ScreeningRoundOutput()
    previous = ScreeningRoundOutput(allow_null=True)
    newly_not_back = ScreeningPersonChangeOutput(many=True)
    returned = ScreeningPersonChangeOutput(many=True)
    newly_found = ScreeningPersonChangeOutput(many=True)
    gone = ScreeningPersonChangeOutput(many=True, help_text="已搬离或本轮未见")


def _can_change(request: Request, view: APIView) -> None:
    if not request.user.can(RegistryCapability.CHANGE):  # type: ignore[union-attr]
        view.permission_denied(request, message=_("您的角色无权登记摸排。"))


class ScreeningRoundListApi(ScopedListAPIView):
    """Rounds over the caller's area and below, newest first."""

    serializer_class = ScreeningRoundOutput
    capability = RegistryCapability.VIEW

    def base_queryset(self) -> Any:
        return ScreeningRound.objects.select_related("area")

    @extend_schema(
        request=ScreeningRoundCreateInput,
        responses={201: ScreeningRoundOutput, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        _can_change(request, self)
        data = ScreeningRoundCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        area = area_visible_by_code(user=request.user, code=values["area"])
        screening_round = round_create(
            actor=request.user,
            area=area,
            name=values["name"],
            starts_on=values["starts_on"],
            ends_on=values["ends_on"],
        )
        return Response(ScreeningRoundOutput(screening_round).data, status=status.HTTP_201_CREATED)


class ScreeningRoundDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = RegistryCapability.VIEW

    @extend_schema(responses={200: ScreeningRoundDetailOutput})
    def get(self, request: Request, pk: int) -> Response:
        screening_round = get_visible_or_404(
            ScreeningRound.objects.select_related("area"), request.user, pk=pk
        )
        return Response(ScreeningRoundDetailOutput(screening_round).data)


def _visit_findings(request: Request, rows: list[dict[str, Any]]) -> list[Finding]:
    """Person ids to people, through the caller's scope; an unknown id names its row."""
    ids = [row["person"] for row in rows]
    people = Person.objects.visible_to(request.user).filter(pk__in=ids).in_bulk()
    findings = []
    for i, row in enumerate(rows):
        person = people.get(row["person"])
        if person is None:
            raise invalid(
                f"findings.{i}.person", _("该人员不存在或不在您的管辖范围内"), "unknown_person"
            )
        findings.append(Finding(person, row["status"], row["away_from"], row["kind"]))
    return findings


class ScreeningVisitApi(APIView):
    """Record one household's visit; a second record for the same household in the same
    round updates that visit."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = RegistryCapability.CHANGE

    @extend_schema(
        request=ScreeningVisitInput,
        responses={201: ScreeningVisitOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        screening_round = get_visible_or_404(
            ScreeningRound.objects.select_related("area"), request.user, pk=pk
        )
        data = ScreeningVisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        address = (
            Address.objects.visible_to(request.user)
            .select_related("area")
            .filter(pk=values["address"])
            .first()
        )
        if address is None:
            raise invalid("address", _("住址不存在或不在您的管辖范围内"), "unknown_address")
        visit = visit_record(
            actor=request.user,
            round=screening_round,
            address=address,
            visited_on=values["visited_on"],
            findings=_visit_findings(request, values["findings"]),
            observation_notes=values["observation_notes"],
        )
        visit = (
            ScreeningVisit.objects.select_related("address__area", "worker")
            .prefetch_related("findings__person")
            .get(pk=visit.pk)
        )
        return Response(ScreeningVisitOutput(visit).data, status=status.HTTP_201_CREATED)


class ScreeningChangesApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = RegistryCapability.VIEW

    @extend_schema(responses={200: ScreeningChangesOutput})
    def get(self, request: Request, pk: int) -> Response:
        screening_round = get_visible_or_404(
            ScreeningRound.objects.select_related("area"), request.user, pk=pk
        )
        return Response(ScreeningChangesOutput(round_changes(round=screening_round)).data)
