from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from fangkong.areas import services
from fangkong.areas.models import Area, AreaKind
from fangkong.areas.module import AreasCapability
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import ScopedListAPIView, ScopedRetrieveAPIView, error_responses
from fangkong.core.errors import invalid


class AreaOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    # "parent" is also an attribute of DRF fields; the contract needs this name.
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", allow_null=True, default=None
    )
    successor = serializers.CharField(source="successor.code", allow_null=True, default=None)

    class Meta:
        model = Area
        fields = ["code", "name", "kind", "parent", "depth", "is_demo", "retired_on", "successor"]


class AreaCreateInput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=AreaKind.choices)
    parent = serializers.CharField(max_length=32, help_text="上级区域代码")  # type: ignore[assignment]


class AreaUpdateInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100, required=False)
    parent = serializers.CharField(max_length=32, required=False)  # type: ignore[assignment]
    effective_on = serializers.DateField(required=False)


class AreaListApi(ScopedListAPIView):
    """Areas the caller may see (its node and everything below)."""

    serializer_class = AreaOutput
    capability = AreasCapability.VIEW

    def base_queryset(self) -> Any:
        return Area.objects.select_related("parent", "successor")

    def get_queryset(self) -> QuerySet[Area]:
        qs = super().get_queryset()
        params = self.request.query_params
        if kind := params.get("kind"):
            qs = qs.filter(kind=kind)
        if parent := params.get("parent"):
            qs = qs.filter(parent__code=parent)
        if params.get("current") in {"1", "true"}:
            qs = qs.filter(retired_on__isnull=True)
        return qs

    @extend_schema(
        request=AreaCreateInput, responses={201: AreaOutput, **error_responses(400, 403)}
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(AreasCapability.CHANGE):  # type: ignore[union-attr]
            self.permission_denied(request, message=_("您的角色无权调整区域。"))
        data = AreaCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        parent = area_visible_by_code(
            user=request.user, code=data.validated_data["parent"], field_name="parent"
        )
        area = services.area_create(
            code=data.validated_data["code"],
            name=data.validated_data["name"],
            kind=data.validated_data["kind"],
            parent=parent,
        )
        return Response(AreaOutput(area).data, status=status.HTTP_201_CREATED)


class AreaDetailApi(ScopedRetrieveAPIView):
    serializer_class = AreaOutput
    capability = AreasCapability.VIEW
    lookup_field = "code"

    def base_queryset(self) -> Any:
        return Area.objects.select_related("parent", "successor")

    @extend_schema(
        request=AreaUpdateInput, responses={200: AreaOutput, **error_responses(400, 403, 404)}
    )
    @transaction.atomic
    def patch(self, request: Request, code: str) -> Response:
        if not request.user.can(AreasCapability.CHANGE):  # type: ignore[union-attr]
            self.permission_denied(request, message=_("您的角色无权调整区域。"))
        area = self.get_object()
        data = AreaUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not values.keys() & {"name", "parent"}:
            raise invalid("name", _("请给出新的名称（name）或新的上级（parent）"), "required")
        when = values.get("effective_on")
        if "parent" in values:
            parent = area_visible_by_code(
                user=request.user, code=values["parent"], field_name="parent"
            )
            area = services.area_move(area=area, parent=parent, effective_on=when)
        if "name" in values:
            area = services.area_rename(area=area, name=values["name"], effective_on=when)
        return Response(AreaOutput(area).data)
