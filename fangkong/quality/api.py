"""Production quality over the API: the GB/T 2828.1 sampling plan, products, batches,
a batch's inspection and its packing.

`GET /api/v1/quality/sampling-plan/?lot_size=N&aql=2.5&level=II` answers
`{"code_letter", "sample_size", "accept", "reject", …}`; a lot size below 2, an AQL or a
level table 2-A has not is a 400 naming the parameter."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.core.api import (
    HasCapability,
    ScopedListAPIView,
    ScopedRetrieveAPIView,
    error_responses,
    valid_input,
)
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.quality import sampling, services
from fangkong.quality.models import Batch, BatchStatus, DefectKind, Level, Product
from fangkong.quality.module import QualityCapability
from fangkong.quality.selectors import batches_visible, products_visible
from fangkong.units.models import Unit

_REASONS = {
    "lot_size": lambda: _("批量应为不小于 2 的整数"),
    "aql": lambda: _("GB/T 2828.1 表 2-A 没有这个 AQL"),
    "level": lambda: _("检验水平应为 I、II 或 III"),
}


class SamplingPlanOutput(serializers.Serializer):  # type: ignore[type-arg]
    lot_size = serializers.IntegerField()
    level = serializers.CharField()
    aql = serializers.CharField()
    lot_code_letter = serializers.CharField(help_text="table 1's code letter for the lot")
    code_letter = serializers.CharField(help_text="the code letter of the plan used (arrows)")
    sample_size = serializers.IntegerField(help_text="units to inspect (the lot when 100 %)")
    accept = serializers.IntegerField(help_text="Ac: accept with this many or fewer")
    reject = serializers.IntegerField(help_text="Re: reject with this many or more")
    full_inspection = serializers.BooleanField(help_text="the sample would be the whole lot")


def _plan_data(plan: sampling.SamplingPlan) -> dict[str, Any]:
    return {
        "lot_size": plan.lot_size,
        "level": plan.level,
        "aql": sampling.aql_label(plan.aql),
        "lot_code_letter": plan.lot_code_letter,
        "code_letter": plan.code_letter,
        "sample_size": plan.sample_size,
        "accept": plan.accept,
        "reject": plan.reject,
        "full_inspection": plan.full_inspection,
    }


class SamplingPlanApi(APIView):
    """GB/T 2828.1 single sampling, normal inspection, general levels I–III."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("lot_size", int, required=True, description="at least 2"),
            OpenApiParameter("aql", str, required=True, description="a column of table 2-A"),
            OpenApiParameter("level", str, enum=list(sampling.LEVELS), description="default II"),
        ],
        responses={200: SamplingPlanOutput, **error_responses(400)},
        summary="GB/T 2828.1 正常检验一次抽样方案",
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        for name in ("lot_size", "aql"):
            if not params.get(name):
                raise invalid(name, _("请填写 %(field)s") % {"field": name}, "required")
        try:
            plan = sampling.sampling_plan(
                lot_size=params["lot_size"], aql=params["aql"], level=params.get("level") or "II"
            )
        except sampling.SamplingError as exc:
            raise invalid(exc.field, _REASONS[exc.field](), "invalid") from None
        return Response(_plan_data(plan))


class QualityProductOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField(source="unit.name")
    aql = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ["id", "unit", "unit_name", "name", "spec", "loop_strength_min_n", "aql", "level"]

    def get_aql(self, obj: Product) -> str:
        return sampling.aql_label(obj.aql)


class QualityProductInput(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.IntegerField()
    name = serializers.CharField(max_length=60)
    spec = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    loop_strength_min_n = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, default=Decimal("10")
    )
    aql = serializers.CharField(default="2.5")
    level = serializers.ChoiceField(choices=Level.choices, default=Level.II)


class QualityDefectOutput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    count = serializers.IntegerField()
    lowest_strength_n = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


class QualityInspectionOutput(serializers.Serializer):  # type: ignore[type-arg]
    inspected = serializers.IntegerField()
    nonconforming = serializers.IntegerField()
    decision = serializers.CharField()
    note = serializers.CharField()
    by = serializers.CharField(source="by.username")
    at = serializers.DateTimeField()
    defects = QualityDefectOutput(many=True, source="defects.all")


class QualityBatchOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    product = serializers.IntegerField(source="product_id")
    product_name = serializers.CharField(source="product.name")
    aql = serializers.SerializerMethodField()
    full_inspection = serializers.BooleanField()
    inspection = serializers.SerializerMethodField()

    class Meta:
        model = Batch
        fields = [
            "id", "product", "product_name", "code", "lot_size", "produced_on", "status",
            "aql", "level", "lot_code_letter", "code_letter", "sample_size", "accept",
            "reject", "full_inspection", "counted", "per_box", "boxes", "packed_at",
            "inspection",
        ]  # fmt: skip

    def get_aql(self, obj: Batch) -> str:
        return sampling.aql_label(obj.aql)

    @extend_schema_field(QualityInspectionOutput(allow_null=True))
    def get_inspection(self, obj: Batch) -> dict[str, Any] | None:
        inspection = getattr(obj, "inspection", None)
        return dict(QualityInspectionOutput(inspection).data) if inspection else None


class QualityBatchInput(serializers.Serializer):  # type: ignore[type-arg]
    product = serializers.IntegerField()
    code = serializers.CharField(max_length=40)
    lot_size = serializers.IntegerField(min_value=2, max_value=services.MAX_LOT)
    produced_on = serializers.DateField()
    aql = serializers.CharField(required=False, help_text="default: the product's")
    level = serializers.ChoiceField(choices=Level.choices, required=False)


class QualityDefectInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=DefectKind.choices)
    count = serializers.IntegerField(min_value=1)
    lowest_strength_n = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True,
        help_text="loop_strength: the lowest strength measured, below the product's minimum",
    )  # fmt: skip


class QualityInspectionInput(serializers.Serializer):  # type: ignore[type-arg]
    inspected = serializers.IntegerField(min_value=1, help_text="the plan's sample size")
    defects = QualityDefectInput(many=True, required=False, default=list)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class QualityPackInput(serializers.Serializer):  # type: ignore[type-arg]
    counted = serializers.IntegerField(min_value=1)
    per_box = serializers.IntegerField(min_value=1, max_value=services.MAX_PER_BOX)


def _one(qs: Any, user: Any, field: str, pk: Any) -> Any:
    """A record named in the body: unknown and out of scope read the same."""
    obj = qs.visible_to(user).filter(pk=pk).first()
    if obj is None:
        raise invalid(
            field, _("%(field)s 不存在或不在您的管辖范围内") % {"field": field}, "unknown"
        )
    return obj


class _Record:
    def check_record(self, request: Request) -> None:
        if not request.user.can(QualityCapability.RECORD):  # type: ignore[union-attr]
            self.permission_denied(request)  # type: ignore[attr-defined]


class ProductsApi(_Record, ScopedListAPIView):
    serializer_class = QualityProductOutput
    capability = QualityCapability.VIEW

    def get_queryset(self) -> QuerySet[Product]:
        return products_visible(self.request.user)

    @extend_schema(
        request=QualityProductInput,
        responses={201: QualityProductOutput, **error_responses(400, 403)},
        summary="登记单位的产品及其抽样的 AQL 和检验水平",
    )
    def post(self, request: Request) -> Response:
        self.check_record(request)
        values = valid_input(QualityProductInput, request)
        values["unit"] = _one(Unit.objects, request.user, "unit", values["unit"])
        product = services.product_create(actor=request.user, **values)
        return Response(QualityProductOutput(product).data, status=status.HTTP_201_CREATED)


class BatchesApi(_Record, ScopedListAPIView):
    """Batches: `status` (registered, accepted, rejected, packed)."""

    serializer_class = QualityBatchOutput
    capability = QualityCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=BatchStatus.values)],
        responses={200: QualityBatchOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Batch]:
        wanted = self.request.query_params.get("status")
        if wanted and wanted not in BatchStatus.values:
            raise invalid("status", _("没有这个状态"), "invalid")
        return batches_visible(self.request.user, status=wanted or None).prefetch_related(
            "inspection__defects"
        )

    @extend_schema(
        request=QualityBatchInput,
        responses={201: QualityBatchOutput, **error_responses(400, 403, 409)},
        summary="登记批次，按 GB/T 2828.1 定出抽样方案（批号重复：409）",
    )
    def post(self, request: Request) -> Response:
        self.check_record(request)
        values = valid_input(QualityBatchInput, request)
        values["product"] = _one(Product.objects, request.user, "product", values["product"])
        batch = services.batch_register(actor=request.user, **values)
        return Response(QualityBatchOutput(batch).data, status=status.HTTP_201_CREATED)


class BatchApi(ScopedRetrieveAPIView):
    serializer_class = QualityBatchOutput
    capability = QualityCapability.VIEW

    def base_queryset(self) -> Any:
        return Batch.objects.select_related("product__unit__area")


class _BatchWrite(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = QualityCapability.RECORD

    def batch(self, request: Request, pk: int) -> Batch:
        return get_visible_or_404(
            Batch.objects.select_related("product__unit__area"), request.user, pk=pk
        )


class BatchInspectApi(_BatchWrite):
    @extend_schema(
        request=QualityInspectionInput,
        responses={201: QualityBatchOutput, **error_responses(400, 403, 404, 409)},
        summary="登记抽样检验（按缺陷类型的不合格品数），按 Ac/Re 判定接收或拒收",
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = self.batch(request, pk)
        values = valid_input(QualityInspectionInput, request)
        services.batch_inspect(
            actor=request.user,
            batch=batch,
            inspected=values["inspected"],
            defects=[dict(d) for d in values["defects"]],
            note=values["note"],
        )
        return Response(
            QualityBatchOutput(self.batch(request, pk)).data, status=status.HTTP_201_CREATED
        )


class BatchPackApi(_BatchWrite):
    @extend_schema(
        request=QualityPackInput,
        responses={200: QualityBatchOutput, **error_responses(400, 403, 404, 409)},
        summary="合格批次清点、塑封、装箱（未接收的批次：409）",
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = self.batch(request, pk)
        values = valid_input(QualityPackInput, request)
        services.batch_pack(actor=request.user, batch=batch, **values)
        return Response(QualityBatchOutput(self.batch(request, pk)).data)
