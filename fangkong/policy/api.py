from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.core.dates import parse_day
from fangkong.policy.models import OriginRule, PolicyVersion
from fangkong.policy.selectors import policy_in_force


class OriginRuleOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    days = serializers.IntegerField(allow_null=True, read_only=True)

    class Meta:
        model = OriginRule
        fields = ["region_code", "region_name", "risk", "days"]


class PolicyOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    origin_rules = OriginRuleOutput(many=True, read_only=True)

    class Meta:
        model = PolicyVersion
        fields = [
            "id",
            "label",
            "effective_from",
            "issued_by",
            "observation_days",
            "fever_threshold",
            "dorm_min_area_m2",
            "dorm_max_per_room",
            "underground_min_area_m2",
            "underground_max_per_room",
            "underground_bunk_beds_allowed",
            "onsite_rate_max",
            "donation_suggested_max",
            "note",
            "origin_rules",
        ]


class PolicyListApi(generics.ListAPIView):  # type: ignore[type-arg]
    """Every policy version (policy is public within the system; it holds no personal data)."""

    serializer_class = PolicyOutput
    queryset = PolicyVersion.objects.prefetch_related("origin_rules")


class PolicyInForceApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD，默认今天")],
        responses={200: PolicyOutput},
    )
    def get(self, request: Request) -> Response:
        on = parse_day(request.query_params.get("date"))
        return Response(PolicyOutput(policy_in_force(on=on)).data)
