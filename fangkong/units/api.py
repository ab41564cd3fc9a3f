from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from fangkong.areas.module import AreasCapability
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import ScopedListAPIView, error_responses
from fangkong.units.models import Unit


class UnitOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    contact_phone = serializers.CharField(source="contact_phone_masked")

    class Meta:
        model = Unit
        fields = [
            "id", "name", "kind", "area", "area_name", "contact_name", "contact_phone",
            "address", "headcount", "legal_representative",
        ]  # fmt: skip


class UnitListApi(ScopedListAPIView):
    """Units in the caller's area (phones masked); `?area=` for one community's subtree."""

    serializer_class = UnitOutput
    capability = AreasCapability.VIEW

    def base_queryset(self) -> Any:
        return Unit.objects.select_related("area").order_by("area__path", "name")

    @extend_schema(
        parameters=[OpenApiParameter("area", str, description="区域代码（含下级）")],
        responses={200: UnitOutput(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        code = self.request.query_params.get("area")
        if code:
            area = area_visible_by_code(user=self.request.user, code=code)
            qs = qs.filter(area__path__startswith=area.path)
        return qs
