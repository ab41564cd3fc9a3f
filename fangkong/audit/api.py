from __future__ import annotations

from typing import Any

from rest_framework import serializers

from fangkong.audit.models import AuditEvent
from fangkong.audit.module import AuditCapability
from fangkong.core.api import ScopedListAPIView


class AuditEventOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code", allow_null=True, default=None)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "area",
            "ip",
            "detail",
        ]


class AuditEventListApi(ScopedListAPIView):
    """The audit log, read-only, for system admins."""

    serializer_class = AuditEventOutput
    capability = AuditCapability.VIEW

    def base_queryset(self) -> Any:
        return AuditEvent.objects.select_related("area")
