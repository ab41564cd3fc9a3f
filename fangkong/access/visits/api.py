"""API of the visitor log and of the gate referrals (pages: fangkong.access.views)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.access import services
from fangkong.access.models import (
    Gate,
    GateCheck,
    GateReferral,
    Visit,
    VisitKind,
    VisitReason,
)
from fangkong.access.module import AccessCapability
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses
from fangkong.core.ids import IdField
from fangkong.core.scoping import get_visible_or_404


class ReferralOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    gate_name = serializers.CharField(source="gate.name")
    check_id = serializers.UUIDField(source="gate_check.check_id")

    class Meta:
        model = GateReferral
        fields = [
            "id",
            "kind",
            "status",
            "area",
            "gate",
            "gate_name",
            "check_id",
            "name",
            "note",
            "created_at",
            "handled_at",
            "handling",
        ]


class ReferralInput(serializers.Serializer):  # type: ignore[type-arg]
    check_id = serializers.UUIDField(help_text="被“无出入证”拦下的那次查验")
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="如：自述从河北返京，未报备"
    )


class ReferralListApi(ScopedListAPIView):
    """People stopped at gates for the community to handle; POST (a guard): hand over the
    person of a `no_pass` check as a returnee who came without notice."""

    serializer_class = ReferralOutput

    @property
    def capability(self) -> str:  # type: ignore[override]
        return (
            AccessCapability.GATE_CHECK
            if self.request.method == "POST"
            else AccessCapability.PASSES_VIEW
        )

    def base_queryset(self) -> Any:
        return GateReferral.objects.select_related("area", "gate", "gate_check")

    @extend_schema(
        request=ReferralInput, responses={201: ReferralOutput, **error_responses(400, 403)}
    )
    def post(self, request: Request) -> Response:
        data = ReferralInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        check = get_visible_or_404(GateCheck, request.user, check_id=v["check_id"])
        referral = services.referral_create(
            actor=request.user, check=check, name=v.get("name", ""), note=v.get("note", "")
        )
        return Response(ReferralOutput(referral).data, status=status.HTTP_201_CREATED)


class VisitOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    reasons = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text="visitor / delivery")
    decision = serializers.CharField(help_text="admit / deny")
    policy = serializers.CharField(source="policy.label", default=None, allow_null=True)

    class Meta:
        model = Visit
        fields = [
            "id",
            "gate",
            "kind",
            "reason",
            "name",
            "phone_masked",
            "destination",
            "plate",
            "temperature",
            "decision",
            "reasons",
            "policy",
            "at",
        ]

    def get_reasons(self, visit: Visit) -> list[str]:
        return [r for r in visit.reasons.split(",") if r]


class VisitInput(serializers.Serializer):  # type: ignore[type-arg]
    gate = IdField()
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    reason = serializers.ChoiceField(choices=VisitReason.choices)
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    destination = serializers.CharField(max_length=100, required=False, allow_blank=True)
    plate = serializers.CharField(max_length=16, required=False, allow_blank=True)
    temperature = serializers.DecimalField(max_digits=3, decimal_places=1)


class VisitListApi(ScopedListAPIView):
    """Visitors and deliveries registered at gates; POST registers one and answers with
    the policy's decision."""

    serializer_class = VisitOutput

    @property
    def capability(self) -> str:  # type: ignore[override]
        return (
            AccessCapability.GATE_CHECK
            if self.request.method == "POST"
            else AccessCapability.PASSES_VIEW
        )

    def base_queryset(self) -> Any:
        return Visit.objects.select_related("policy")

    @extend_schema(request=VisitInput, responses={201: VisitOutput, **error_responses(400, 403)})
    def post(self, request: Request) -> Response:
        data = VisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        gate = get_visible_or_404(Gate, request.user, pk=v["gate"])
        visit = services.visit_register(
            actor=request.user,
            gate=gate,
            kind=v["kind"],
            reason=v["reason"],
            name=v["name"],
            phone=v.get("phone", ""),
            destination=v.get("destination", ""),
            plate=v.get("plate", ""),
            temperature=v["temperature"],
        )
        return Response(VisitOutput(visit).data, status=status.HTTP_201_CREATED)


class HandlingInput(serializers.Serializer):  # type: ignore[type-arg]
    handling = serializers.CharField(max_length=200)


class ReferralHandleApi(APIView):
    """Close a gate referral with what was done (the page's 已处理)."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = ArrivalsCapability.CHANGE

    @extend_schema(
        request=HandlingInput,
        responses={200: ReferralOutput, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = get_visible_or_404(GateReferral, request.user, pk=pk)
        given = HandlingInput(data=request.data)
        given.is_valid(raise_exception=True)
        referral = services.referral_handle(
            actor=request.user, referral=referral, handling=given.validated_data["handling"]
        )
        return Response(ReferralOutput(referral).data)
