from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.core.api import HasCapability, error_responses, valid_input
from fangkong.core.dates import parse_day
from fangkong.core.ids import IdField
from fangkong.policy.models import OriginRisk, OriginRule, PolicyStatus, PolicyVersion
from fangkong.policy.module import PolicyCapability
from fangkong.policy.selectors import (
    policy_diff,
    policy_in_force,
    policy_previous,
    policy_versions,
)
from fangkong.policy.services import (
    policy_discard,
    policy_draft,
    policy_publish_draft,
    policy_rules_set,
    policy_update,
)


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
            "status",
            "based_on",
            "published_at",
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
            "onsite_rate_kinds",
            "duty_min_rest_hours",
            "party_activist_min_days",
            "party_probation_days",
            "care_urgent_hours",
            "care_request_hours",
            "donation_suggested_max",
            "note",
            "origin_rules",
        ]


class DraftInput(serializers.Serializer):  # type: ignore[type-arg]
    based_on = IdField(required=False, allow_null=True)


class OriginRuleInput(serializers.Serializer):  # type: ignore[type-arg]
    region_code = serializers.CharField(max_length=16)
    region_name = serializers.CharField(max_length=50, allow_blank=True, required=False)
    risk = serializers.ChoiceField(choices=OriginRisk.choices)
    observation_days = serializers.IntegerField(
        min_value=1, max_value=60, required=False, allow_null=True
    )


class DraftChangeInput(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField(max_length=100)  # type: ignore[assignment]
    issued_by = serializers.CharField(max_length=100, allow_blank=True)
    observation_days = serializers.IntegerField(min_value=1, max_value=60)
    fever_threshold = serializers.DecimalField(max_digits=3, decimal_places=1)
    dorm_min_area_m2 = serializers.DecimalField(max_digits=4, decimal_places=1)
    dorm_max_per_room = serializers.IntegerField(min_value=1, max_value=50)
    underground_min_area_m2 = serializers.DecimalField(max_digits=4, decimal_places=1)
    underground_max_per_room = serializers.IntegerField(min_value=1, max_value=50)
    underground_bunk_beds_allowed = serializers.BooleanField()
    onsite_rate_max = serializers.DecimalField(max_digits=4, decimal_places=3)
    onsite_rate_kinds = serializers.CharField(max_length=200, allow_blank=True, required=False)
    duty_min_rest_hours = serializers.IntegerField(min_value=0, max_value=24, required=False)
    party_activist_min_days = serializers.IntegerField(min_value=0, max_value=3650, required=False)
    party_probation_days = serializers.IntegerField(min_value=0, max_value=3650, required=False)
    care_urgent_hours = serializers.IntegerField(min_value=1, max_value=72, required=False)
    care_request_hours = serializers.IntegerField(min_value=1, max_value=168, required=False)
    donation_suggested_max = serializers.DecimalField(max_digits=10, decimal_places=2)
    note = serializers.CharField(allow_blank=True)
    origin_rules = OriginRuleInput(many=True)


class PublishInput(serializers.Serializer):  # type: ignore[type-arg]
    effective_from = serializers.DateField()


class PolicyListApi(APIView):
    """Policy versions, newest first: published ones for everyone (policy holds no
    personal data); drafts too for those who may publish. POST starts a draft."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]

    @property
    def capability(self) -> str:
        return PolicyCapability.CHANGE if self.request.method == "POST" else PolicyCapability.VIEW

    @extend_schema(responses={200: PolicyOutput(many=True), **error_responses(401, 403)})
    def get(self, request: Request) -> Response:
        return Response(PolicyOutput(policy_versions(user=request.user), many=True).data)

    @extend_schema(
        request=DraftInput,
        responses={201: PolicyOutput, **error_responses(400, 401, 403)},
        description="起草新版本：复制 based_on（默认今天生效的版本）的各项设置和来源地规则。",
    )
    def post(self, request: Request) -> Response:
        data = valid_input(DraftInput, request)
        based_on = None
        if data.get("based_on") is not None:
            based_on = get_object_or_404(
                PolicyVersion.objects.filter(status=PolicyStatus.PUBLISHED), pk=data["based_on"]
            )
        draft = policy_draft(actor=request.user, based_on=based_on)
        return Response(PolicyOutput(draft).data, status=status.HTTP_201_CREATED)


class PolicyDetailApi(APIView):
    """One version. PATCH changes a draft (settings, and origin_rules replaced whole);
    DELETE throws a draft away. A published version answers 409 to both."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]

    @property
    def capability(self) -> str:
        return PolicyCapability.VIEW if self.request.method == "GET" else PolicyCapability.CHANGE

    def _version(self, request: Request, pk: int) -> PolicyVersion:
        return get_object_or_404(policy_versions(user=request.user), pk=pk)

    @extend_schema(responses={200: PolicyOutput, **error_responses(401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(PolicyOutput(self._version(request, pk)).data)

    @extend_schema(
        request=DraftChangeInput,
        responses={200: PolicyOutput, **error_responses(400, 401, 403, 404, 409)},
    )
    @transaction.atomic
    def patch(self, request: Request, pk: int) -> Response:
        draft = self._version(request, pk)
        data = valid_input(DraftChangeInput, request, partial=True)
        rules = data.pop("origin_rules", None)
        draft = policy_update(actor=request.user, draft=draft, **data)
        if rules is not None:
            draft = policy_rules_set(actor=request.user, draft=draft, rules=rules)
        return Response(PolicyOutput(draft).data)

    @extend_schema(responses={204: None, **error_responses(401, 403, 404, 409)})
    def delete(self, request: Request, pk: int) -> Response:
        policy_discard(actor=request.user, draft=self._version(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PolicyPublishApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PolicyCapability.CHANGE

    @extend_schema(
        request=PublishInput,
        responses={200: PolicyOutput, **error_responses(400, 401, 403, 404, 409)},
        description="发布草稿，从 effective_from（今天或以后）起生效；发布后不再修改。",
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = get_object_or_404(policy_versions(user=request.user), pk=pk)
        data = valid_input(PublishInput, request)
        policy = policy_publish_draft(
            actor=request.user, draft=draft, effective_from=data["effective_from"]
        )
        return Response(PolicyOutput(policy).data)


class DifferenceOutput(serializers.Serializer):  # type: ignore[type-arg]
    what = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class PolicyDiffOutput(serializers.Serializer):  # type: ignore[type-arg]
    previous = serializers.IntegerField(allow_null=True)
    differences = DifferenceOutput(many=True)


class PolicyDiffApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PolicyCapability.VIEW

    @extend_schema(responses={200: PolicyDiffOutput, **error_responses(401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        """What this version changes against the one before it (a draft: its source)."""
        policy = get_object_or_404(policy_versions(user=request.user), pk=pk)
        previous = policy_previous(policy)
        differences = policy_diff(policy=policy, previous=previous)
        return Response(
            {
                "previous": previous.pk if previous else None,
                "differences": [vars(d) for d in differences],
            }
        )


class PolicyInForceApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD，默认今天")],
        responses={200: PolicyOutput, **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        on = parse_day(request.query_params.get("date"))
        return Response(PolicyOutput(policy_in_force(on=on)).data)
