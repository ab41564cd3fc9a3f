"""Supplies over the API: items, stores, stock, the ledger and its movements.

`POST /api/v1/supplies/movements/` records one movement of any kind (`receipt`,
`handout`, `transfer`, `count`); a hand-out or transfer of more than the store holds is
refused with **409**, field `quantity`, code `insufficient_stock` and the stock
`available`; nothing is written."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.accounts.models import User
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses, valid_input
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.duty.models import Post
from fangkong.registry.models import Person
from fangkong.supplies import services
from fangkong.supplies.models import Item, Movement, ReceiptSource, StockLevel, Store
from fangkong.supplies.module import SuppliesCapability
from fangkong.supplies.selectors import levels_visible, movements_visible, stores_visible


class ItemOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Item
        fields = ["id", "name", "unit", "active"]


class StoreOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    post = serializers.IntegerField(source="post_id", allow_null=True)

    class Meta:
        model = Store
        fields = ["id", "name", "area", "post"]


class LevelOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    store = serializers.IntegerField(source="store_id")
    store_name = serializers.CharField(source="store.name")
    area = serializers.CharField(source="store.area.code")
    post = serializers.IntegerField(source="store.post_id", allow_null=True)
    item = serializers.IntegerField(source="item_id")
    item_name = serializers.CharField(source="item.name")
    unit = serializers.CharField(source="item.unit")
    low = serializers.BooleanField(help_text="below its minimum")

    class Meta:
        model = StockLevel
        fields = [
            "store", "store_name", "area", "post", "item", "item_name", "unit",
            "balance", "minimum", "low",
        ]  # fmt: skip


class MovementOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    store = serializers.IntegerField(source="store_id")
    item = serializers.IntegerField(source="item_id")
    to_post = serializers.IntegerField(source="to_post_id", allow_null=True)
    to_person = serializers.IntegerField(source="to_person_id", allow_null=True)
    to_account = serializers.CharField(source="to_account.username", allow_null=True, default=None)
    other_store = serializers.IntegerField(source="other_store_id", allow_null=True)
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    by = serializers.CharField(source="by.username")

    class Meta:
        model = Movement
        fields = [
            "id", "store", "item", "kind", "quantity", "source", "donor", "to_post",
            "to_person", "to_account", "other_store", "counted", "reverses", "note", "by", "at",
        ]  # fmt: skip


KINDS = ("receipt", "handout", "transfer", "count")


class MovementInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=KINDS)
    store = serializers.IntegerField()
    item = serializers.IntegerField()
    quantity = serializers.IntegerField(
        required=False, min_value=1, max_value=services.MAX_QUANTITY,
        help_text="receipt, handout, transfer: whole units of the item, at least 1",
    )  # fmt: skip
    counted = serializers.IntegerField(
        required=False, min_value=0, max_value=services.MAX_QUANTITY, help_text="count: counted"
    )
    source = serializers.ChoiceField(choices=ReceiptSource.choices, required=False)  # type: ignore[assignment]
    donor = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    to_post = serializers.IntegerField(required=False, help_text="handout: a duty post")
    to_person = serializers.IntegerField(required=False, help_text="handout: a person")
    to_account = serializers.CharField(required=False, help_text="handout: a username")
    to_store = serializers.IntegerField(required=False, help_text="transfer: the other store")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StoreInput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField(required=False, help_text="a community / zone code")
    post = serializers.IntegerField(required=False, help_text="or a duty post id")


class MinimumInput(serializers.Serializer):  # type: ignore[type-arg]
    store = serializers.IntegerField()
    item = serializers.IntegerField()
    minimum = serializers.IntegerField(min_value=0, max_value=services.MAX_QUANTITY)


class ReverseInput(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(max_length=200)


def _one(qs: Any, user: Any, field: str, pk: Any) -> Any:
    """A record the caller named in the body: unknown and out of scope read the same."""
    obj = qs.visible_to(user).filter(pk=pk).first() if hasattr(qs, "visible_to") else None
    if obj is None:
        raise invalid(
            field, _("%(field)s 不存在或不在您的管辖范围内") % {"field": field}, "unknown"
        )
    return obj


def _need(values: dict[str, Any], field: str) -> Any:
    if values.get(field) in (None, ""):
        raise invalid(field, _("请填写 %(field)s") % {"field": field}, "required")
    return values[field]


def _item(pk: int) -> Item:
    item = Item.objects.filter(pk=pk).first()
    if item is None:
        raise invalid("item", _("没有这种物资"), "unknown")
    return item


class ItemInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=60, help_text="电子体温枪")
    unit = serializers.CharField(max_length=20, help_text="把")


class ItemPatchInput(serializers.Serializer):  # type: ignore[type-arg]
    active = serializers.BooleanField()


class ItemsApi(ScopedListAPIView):
    serializer_class = ItemOutput
    capability = SuppliesCapability.VIEW
    pagination_class = None

    def get_queryset(self) -> QuerySet[Item]:
        return Item.objects.all()

    @extend_schema(
        request=ItemInput,
        responses={201: ItemOutput, **error_responses(400, 403, 409)},
        summary="新增物资品类（区、街道）",
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(SuppliesCapability.ITEMS):  # type: ignore[union-attr]
            self.permission_denied(request)
        values = valid_input(ItemInput, request)
        item = services.item_create(actor=request.user, name=values["name"], unit=values["unit"])
        return Response(ItemOutput(item).data, status=status.HTTP_201_CREATED)


class ItemApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = SuppliesCapability.ITEMS

    @extend_schema(
        request=ItemPatchInput,
        responses={200: ItemOutput, **error_responses(400, 403, 404)},
        summary="停用或启用物资品类（库存和台账保留）",
    )
    def patch(self, request: Request, pk: int) -> Response:
        item = Item.objects.filter(pk=pk).first()
        if item is None:
            raise Http404
        values = valid_input(ItemPatchInput, request)
        item = services.item_set_active(actor=request.user, item=item, active=values["active"])
        return Response(ItemOutput(item).data)


class StoresApi(ScopedListAPIView):
    serializer_class = StoreOutput
    capability = SuppliesCapability.VIEW

    def get_queryset(self) -> QuerySet[Store]:
        return stores_visible(self.request.user)

    @extend_schema(
        request=StoreInput,
        responses={201: StoreOutput, **error_responses(400, 403)},
        summary="建立社区/片区或值守点的物资库（已有则返回已有的）",
    )
    def post(self, request: Request) -> Response:
        if not request.user.can(SuppliesCapability.RECORD):  # type: ignore[union-attr]
            self.permission_denied(request)
        values = valid_input(StoreInput, request)
        area = post = None
        if values.get("post") is not None:
            post = _one(Post.objects, request.user, "post", values["post"])
        elif values.get("area"):
            area = area_visible_by_code(user=request.user, code=values["area"])
        store = services.store_create(actor=request.user, area=area, post=post)
        return Response(StoreOutput(store).data, status=status.HTTP_201_CREATED)


class StockApi(ScopedListAPIView):
    """Balances per store and item: `area` (a code, its subtree), `low=1` (below minimum)."""

    serializer_class = LevelOutput
    capability = SuppliesCapability.VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="an area code: its subtree's stores"),
            OpenApiParameter("low", str, enum=["1"]),
        ],
        responses={200: LevelOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[StockLevel]:
        code = self.request.query_params.get("area")
        area = area_visible_by_code(user=self.request.user, code=code) if code else None
        qs = levels_visible(self.request.user, area=area)
        if self.request.query_params.get("low") == "1":
            qs = qs.filter(balance__lt=F("minimum"))
        return qs


class MovementsApi(ScopedListAPIView):
    serializer_class = MovementOutput
    capability = SuppliesCapability.VIEW

    @extend_schema(parameters=[OpenApiParameter("store", int), OpenApiParameter("item", int)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Movement]:
        qs = movements_visible(self.request.user)
        for name in ("store", "item"):
            value = self.request.query_params.get(name)
            if value is not None:
                if not value.isdigit():
                    raise invalid(name, _("%(field)s 应为编号") % {"field": name})
                qs = qs.filter(**{f"{name}_id": int(value)})
        return qs

    @extend_schema(
        request=MovementInput,
        responses={201: MovementOutput, **error_responses(400, 403, 409)},
        summary="登记一笔入库、发放、调拨或盘点（库存不够：409，字段 quantity）",
    )
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.can(SuppliesCapability.RECORD):
            self.permission_denied(request)
        values = valid_input(MovementInput, request)
        kind = values["kind"]
        store = _one(Store.objects, user, "store", values["store"])
        item = _item(values["item"])
        note = values["note"]
        if kind == "receipt":
            movement = services.receipt_record(
                actor=user, store=store, item=item, quantity=_need(values, "quantity"),
                source=_need(values, "source"), donor=values["donor"], note=note,
            )  # fmt: skip
        elif kind == "handout":
            movement = services.handout_record(
                actor=user, store=store, item=item, quantity=_need(values, "quantity"),
                to_post=_opt(Post.objects, user, "to_post", values),
                to_person=_opt(Person.objects, user, "to_person", values),
                to_account=_account(user, values.get("to_account")), note=note,
            )  # fmt: skip
        elif kind == "transfer":
            to_store = _one(Store.objects, user, "to_store", _need(values, "to_store"))
            movement = services.transfer_record(
                actor=user, store=store, to_store=to_store, item=item,
                quantity=_need(values, "quantity"), note=note,
            )  # fmt: skip
        else:
            movement = services.count_record(
                actor=user, store=store, item=item, counted=_need(values, "counted"), note=note
            )
        return Response(MovementOutput(movement).data, status=status.HTTP_201_CREATED)


def _opt(qs: Any, user: Any, field: str, values: dict[str, Any]) -> Any:
    return None if values.get(field) is None else _one(qs, user, field, values[field])


def _account(user: Any, username: str | None) -> Any:
    if not username:
        return None
    account = User.objects.filter(username=username).first()
    if account is None:
        raise invalid("to_account", _("没有这个账号"), "unknown")
    return account  # the service checks it is within the caller's jurisdiction


class MovementReverseApi(APIView):
    permission_classes = [HasCapability]
    capability = SuppliesCapability.RECORD

    @extend_schema(
        request=ReverseInput,
        responses={201: MovementOutput, **error_responses(400, 403, 404, 409)},
        summary="冲销一笔记录（调拨两边一起冲销）",
    )
    def post(self, request: Request, pk: int) -> Response:
        movement = get_visible_or_404(Movement.objects.select_related("store"), request.user, pk=pk)
        values = valid_input(ReverseInput, request)
        reversal = services.movement_reverse(
            actor=request.user, movement=movement, note=values["note"]
        )
        return Response(MovementOutput(reversal).data, status=status.HTTP_201_CREATED)


class MinimumsApi(APIView):
    permission_classes = [HasCapability]
    capability = SuppliesCapability.RECORD

    @extend_schema(
        request=MinimumInput,
        responses={200: LevelOutput, **error_responses(400, 403)},
        summary="设定某物资库某物资的最低库存",
    )
    def post(self, request: Request) -> Response:
        values = valid_input(MinimumInput, request)
        store = _one(Store.objects, request.user, "store", values["store"])
        level = services.minimum_set(
            actor=request.user, store=store, item=_item(values["item"]), minimum=values["minimum"]
        )
        level = StockLevel.objects.select_related("store__area", "item").get(pk=level.pk)
        return Response(LevelOutput(level).data)
