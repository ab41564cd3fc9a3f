"""Handovers over the API: the same story as the pages (request, accept, refuse, cancel)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses, valid_input
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.registry.models import DocumentType, ResidenceKind, Transfer
from fangkong.registry.module import RegistryCapability
from fangkong.registry.transfers import services
from fangkong.registry.transfers.selectors import INCOMING, STATES, sees_person, transfers_list


class TransferOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    """`person` is shown to the side that holds the record; the asking side sees it once
    the record is theirs (null before)."""

    from_area = serializers.CharField(source="from_area.code")
    to_area = serializers.CharField(source="to_area.code")
    address = serializers.SerializerMethodField(help_text="the new home, where given")
    person = serializers.SerializerMethodField()
    requested_by = serializers.CharField(source="requested_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)

    def get_address(self, transfer: Transfer) -> str | None:
        return str(transfer.address) if transfer.address_id else None

    def get_person(self, transfer: Transfer) -> dict[str, Any] | None:
        viewer = self.context.get("user")
        if viewer is None or not sees_person(viewer, transfer):
            return None
        person = transfer.person
        return {"id": person.pk, "name": person.name, "document_number": person.document_masked}

    class Meta:
        model = Transfer
        fields = [
            "id",
            "person",
            "from_area",
            "to_area",
            "address",
            "kind",
            "reason",
            "status",
            "answer",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ]


class TransferInput(serializers.Serializer):  # type: ignore[type-arg]
    document_type = serializers.ChoiceField(choices=DocumentType.choices)
    document_number = serializers.CharField(max_length=40)
    to_area = serializers.CharField(max_length=32, help_text="转入的社区、村或片区代码（您的辖区）")
    reason = serializers.CharField(max_length=200)
    building = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    entrance = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    room = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(
        choices=ResidenceKind.choices, required=False, default=ResidenceKind.TENANT
    )


class AnswerInput(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.CharField(max_length=200, allow_blank=True)


class TransfersApi(ScopedListAPIView):
    serializer_class = TransferOutput
    capability = RegistryCapability.VIEW

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=list(STATES))])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": self.request.user}

    def get_queryset(self) -> QuerySet[Transfer]:
        state = self.request.query_params.get("state", INCOMING)
        if state not in STATES:
            raise invalid("state", _("state 应为 incoming、outgoing 或 done"))
        return transfers_list(user=self.request.user, state=state)

    @extend_schema(
        request=TransferInput,
        responses={201: TransferOutput, **error_responses(400, 403, 409)},
        summary="申请把登记在其他社区的人转入本社区",
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(RegistryCapability.CHANGE):  # type: ignore[union-attr]
            self.permission_denied(request)
        values = valid_input(TransferInput, request)
        to_area = area_visible_by_code(
            user=request.user, code=values["to_area"], field_name="to_area"
        )
        transfer = services.transfer_request(
            actor=request.user,
            document_type=values["document_type"],
            document_number=values["document_number"],
            to_area=to_area,
            reason=values["reason"],
            home={k: values[k] for k in ("building", "entrance", "room", "kind")},
        )
        output = TransferOutput(transfer, context={"user": request.user})
        return Response(output.data, status=status.HTTP_201_CREATED)


class _TransferAction(APIView):
    permission_classes = [HasCapability]
    capability = RegistryCapability.CHANGE

    def transfer(self, request: Request, pk: int) -> Transfer:
        return get_visible_or_404(
            Transfer.objects.select_related("person", "from_area", "to_area"), request.user, pk=pk
        )

    def done(self, request: Request, transfer: Transfer) -> Response:
        transfer = Transfer.objects.select_related("person__area", "from_area", "to_area").get(
            pk=transfer.pk
        )
        return Response(TransferOutput(transfer, context={"user": request.user}).data)


class TransferAcceptApi(_TransferAction):
    @extend_schema(
        request=None,
        responses={200: TransferOutput, **error_responses(400, 403, 404, 409)},
        summary="原登记社区同意转交",
    )
    def post(self, request: Request, pk: int) -> Response:
        transfer = services.transfer_accept(actor=request.user, transfer=self.transfer(request, pk))
        return self.done(request, transfer)


class TransferRefuseApi(_TransferAction):
    @extend_schema(
        request=AnswerInput,
        responses={200: TransferOutput, **error_responses(400, 403, 404, 409)},
        summary="原登记社区不同意转交（写明原因）",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(AnswerInput, request)
        transfer = services.transfer_refuse(
            actor=request.user, transfer=self.transfer(request, pk), answer=values["answer"]
        )
        return self.done(request, transfer)


class TransferCancelApi(_TransferAction):
    @extend_schema(
        request=None,
        responses={200: TransferOutput, **error_responses(400, 403, 404, 409)},
        summary="申请的社区撤回转交申请",
    )
    def post(self, request: Request, pk: int) -> Response:
        transfer = services.transfer_cancel(actor=request.user, transfer=self.transfer(request, pk))
        return self.done(request, transfer)
