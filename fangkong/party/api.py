"""Party organisations, members, donations and remittances over the API.

Amounts go in and out as strings exact to the fen ("15354.97"): a JSON number is refused
with 400 naming the field (a float may have lost the fen already), and so are "1e2",
"12.345", "-5" and "0". The contract (DESIGN.md):
`GET /api/v1/donations/summary/?org=<id>&date=YYYY-MM-DD` and
`GET /api/v1/donations/reconciliation/?org=<id>`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.accounts.models import User
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import (
    FastJSONRenderer,
    HasCapability,
    ScopedListAPIView,
    error_responses,
    valid_input,
)
from fangkong.core.dates import parse_day
from fangkong.core.errors import invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.party import imports, selectors, services
from fangkong.party.models import (
    Channel,
    Donation,
    DonationImport,
    Member,
    Organisation,
    OrgKind,
    Remittance,
)
from fangkong.party.module import PartyCapability
from fangkong.party.money import fen_text, parse_amount, yuan
from fangkong.registry.models import DocumentType, Person


@extend_schema_field({"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "example": "100.00"})
class AmountField(serializers.Field):  # type: ignore[type-arg]
    """Yuan as a string, exact to the fen; never a number."""

    def to_internal_value(self, data: Any) -> Any:
        try:
            return parse_amount(data, self.field_name or "amount")
        except ValidationError as exc:
            raise serializers.ValidationError(
                exc.messages[0], code=exc.error_dict[self.field_name or "amount"][0].code
            ) from None

    def to_representation(self, value: Any) -> str:
        return yuan(value)


def _amount_out(**kwargs: Any) -> serializers.Field:  # type: ignore[type-arg]
    return AmountField(read_only=True, **kwargs)


class OrgOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    parent = serializers.IntegerField(source="parent_id", allow_null=True)  # type: ignore[assignment]
    area = serializers.CharField(source="area.code")
    treasurer = serializers.CharField(source="treasurer.username", allow_null=True, default=None)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "parent", "area", "treasurer"]


class OrgInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=80)
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    parent = serializers.IntegerField(required=False, allow_null=True)  # type: ignore[assignment]
    area = serializers.CharField(help_text="the area code it is placed in (scoping)")
    treasurer = serializers.CharField(required=False, allow_blank=True, help_text="a username")


class MemberOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.name")
    branch = serializers.IntegerField(source="branch_id")

    class Meta:
        model = Member
        fields = ["id", "person", "name", "branch", "joined_on", "active"]


class PersonInBranchInput(serializers.Serializer):  # type: ignore[type-arg]
    """A branch and a registered person, by id or by document number."""

    branch = serializers.IntegerField()
    person = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="registry person id"
    )
    document_type = serializers.ChoiceField(
        choices=DocumentType.choices, required=False, default=DocumentType.RESIDENT_ID
    )
    document_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="",
        help_text="or the document number of a person registered in your territory",
    )  # fmt: skip


class MemberInput(PersonInBranchInput):
    joined_on = serializers.DateField(required=False, allow_null=True)


class DonationOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    member = serializers.IntegerField(source="member_id")
    name = serializers.CharField(source="member.person.name")
    branch = serializers.IntegerField(source="branch_id")
    amount = _amount_out()
    suggested = _amount_out()
    date = serializers.DateField(source="on")
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    by = serializers.CharField(source="by.username")

    class Meta:
        model = Donation
        fields = [
            "id", "branch", "member", "name", "amount", "channel", "receipt_no", "date",
            "suggested", "above_suggested", "reverses", "reversed", "note", "by",
        ]  # fmt: skip


class DonationInput(serializers.Serializer):  # type: ignore[type-arg]
    member = serializers.IntegerField()
    amount = AmountField(help_text='yuan as a string, e.g. "100" or "88.88"')
    channel = serializers.ChoiceField(choices=Channel.choices)
    receipt_no = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DonationReverseInput(serializers.Serializer):  # type: ignore[type-arg]
    note = serializers.CharField(max_length=200)


class RemittanceOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    from_org = serializers.IntegerField(source="from_org_id")
    to_org = serializers.IntegerField(source="to_org_id")
    amount = _amount_out()
    received_amount = _amount_out(allow_null=True)
    received = serializers.BooleanField()

    class Meta:
        model = Remittance
        fields = [
            "id", "number", "from_org", "to_org", "amount", "sent_on", "note", "received",
            "received_amount", "received_on", "received_note",
        ]  # fmt: skip

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.received_amount is None:
            data["received_amount"] = None
        return data


class SendInput(serializers.Serializer):  # type: ignore[type-arg]
    org = serializers.IntegerField(help_text="the organisation that passes money up")
    amount = AmountField()
    date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReceiveInput(serializers.Serializer):  # type: ignore[type-arg]
    received_amount = AmountField(required=False, help_text="as counted; default the sent amount")
    date = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _one(qs: Any, user: Any, field: str, pk: Any) -> Any:
    """A record the caller named: unknown and out of scope read the same."""
    obj = qs.visible_to(user).filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise invalid(
            field, _("%(field)s 不存在或不在您的管辖范围内") % {"field": field}, "unknown"
        )
    return obj


def _org_param(request: Request) -> Organisation:
    value = request.query_params.get("org", "").strip()
    if not value:
        raise invalid("org", _("请给出党组织编号 org"), "required")
    if not value.isdigit():
        raise invalid("org", _("org 应为党组织编号（整数）"), "invalid")
    return _one(Organisation.objects, request.user, "org", int(value))  # type: ignore[no-any-return]


def _need_capability(view: APIView, request: Request, capability: str) -> None:
    if not request.user.can(capability):  # type: ignore[union-attr]
        view.permission_denied(request)


class OrgsApi(ScopedListAPIView):
    serializer_class = OrgOutput
    capability = PartyCapability.VIEW
    pagination_class = None

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.orgs_visible(self.request.user)

    @extend_schema(
        request=OrgInput,
        responses={201: OrgOutput, **error_responses(400, 403, 409)},
        summary="建立党组织（区委、党工委、社区党委、党支部）",
    )
    def post(self, request: Request) -> Response:
        _need_capability(self, request, PartyCapability.MANAGE)
        values = valid_input(OrgInput, request)
        parent = values.get("parent")
        treasurer = None
        if values.get("treasurer"):
            treasurer = User.objects.filter(username=values["treasurer"]).first()
            if treasurer is None:
                raise invalid("treasurer", _("没有这个账号"), "unknown")
        if parent is not None:
            parent = _one(Organisation.objects, request.user, "parent", parent)
        org = services.org_create(
            actor=request.user,
            name=values["name"],
            kind=values["kind"],
            area=area_visible_by_code(user=request.user, code=values["area"]),
            parent=parent,
            treasurer=treasurer,
        )
        return Response(OrgOutput(org).data, status=status.HTTP_201_CREATED)


class TreasurerInput(serializers.Serializer):  # type: ignore[type-arg]
    treasurer = serializers.CharField(allow_blank=True, help_text="a username; empty: none")


class OrgTreasurerApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.MANAGE

    @extend_schema(
        request=TreasurerInput,
        responses={200: OrgOutput, **error_responses(400, 403, 404)},
        summary="指定党组织的收款人（账号）",
    )
    def post(self, request: Request, pk: int) -> Response:
        org = get_visible_or_404(Organisation.objects.select_related("area"), request.user, pk=pk)
        values = valid_input(TreasurerInput, request)
        treasurer = None
        if values["treasurer"]:
            treasurer = User.objects.filter(username=values["treasurer"]).first()
            if treasurer is None:
                raise invalid("treasurer", _("没有这个账号"), "unknown")
        org = services.org_set_treasurer(actor=request.user, org=org, treasurer=treasurer)
        return Response(OrgOutput(org).data)


class MembersApi(ScopedListAPIView):
    serializer_class = MemberOutput
    capability = PartyCapability.VIEW

    @extend_schema(parameters=[OpenApiParameter("branch", int)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Member]:
        qs = selectors.members_visible(self.request.user)
        branch = self.request.query_params.get("branch")
        if branch is not None:
            if not branch.isdigit():
                raise invalid("branch", _("branch 应为党支部编号"))
            qs = qs.filter(branch_id=int(branch))
        return qs

    @extend_schema(
        request=MemberInput,
        responses={201: MemberOutput, **error_responses(400, 403, 409)},
        summary="把已登记的人员编入党支部",
    )
    def post(self, request: Request) -> Response:
        _need_capability(self, request, PartyCapability.MANAGE)
        values = valid_input(MemberInput, request)
        branch = _one(Organisation.objects, request.user, "branch", values["branch"])
        if values["person"] is not None:
            member = services.member_add(
                actor=request.user,
                branch=branch,
                person=_one(Person.objects, request.user, "person", values["person"]),
                joined_on=values.get("joined_on"),
            )
        elif values["document_number"]:
            member = services.member_add_by_document(
                actor=request.user,
                branch=branch,
                document_type=values["document_type"],
                document_number=values["document_number"],
                joined_on=values.get("joined_on"),
            )
        else:
            raise invalid("person", _("请给出人员编号，或证件号码"), "required")
        return Response(MemberOutput(member).data, status=status.HTTP_201_CREATED)


class DonationsApi(ScopedListAPIView):
    serializer_class = DonationOutput
    capability = PartyCapability.VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, description="an organisation: its subtree's donations"),
            OpenApiParameter("date", str, description="YYYY-MM-DD"),
        ],
        responses={200: DonationOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Donation]:
        qs = selectors.donations_visible(self.request.user)
        if self.request.query_params.get("org"):
            org = _org_param(self.request)
            qs = qs.filter(branch__path__startswith=org.path)
        if self.request.query_params.get("date"):
            qs = qs.filter(on=parse_day(self.request.query_params["date"]))
        return qs

    @extend_schema(
        request=DonationInput,
        responses={201: DonationOutput, **error_responses(400, 403, 409)},
        summary="登记一笔党员捐款（超过建议金额照收并标记；收据号重复：409）",
    )
    def post(self, request: Request) -> Response:
        _need_capability(self, request, PartyCapability.RECORD)
        values = valid_input(DonationInput, request)
        donation = services.donation_record(
            actor=request.user,
            member=_one(Member.objects, request.user, "member", values["member"]),
            amount=values["amount"],
            channel=values["channel"],
            receipt_no=values["receipt_no"],
            on=values.get("date"),
            note=values["note"],
        )
        return Response(DonationOutput(donation).data, status=status.HTTP_201_CREATED)


class DonationReverseApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.RECORD

    @extend_schema(
        request=DonationReverseInput,
        responses={201: DonationOutput, **error_responses(400, 403, 404, 409)},
        summary="冲销一笔捐款（登记一笔负数的冲销记录，原记录不改）",
    )
    def post(self, request: Request, pk: int) -> Response:
        donation = get_visible_or_404(
            Donation.objects.select_related("branch"), request.user, pk=pk
        )
        values = valid_input(DonationReverseInput, request)
        reversal = services.donation_reverse(
            actor=request.user, donation=donation, note=values["note"]
        )
        return Response(DonationOutput(reversal).data, status=status.HTTP_201_CREATED)


class RemittancesApi(ScopedListAPIView):
    serializer_class = RemittanceOutput
    capability = PartyCapability.VIEW

    @extend_schema(parameters=[OpenApiParameter("pending", str, enum=["1"])])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Remittance]:
        if self.request.query_params.get("pending") == "1":
            return selectors.to_receive(self.request.user)
        return selectors.remittances_visible(self.request.user)

    @extend_schema(
        request=SendInput,
        responses={201: RemittanceOutput, **error_responses(400, 403, 409)},
        summary="向上级党组织上缴一批（不能超过结存：409，字段 amount）",
    )
    def post(self, request: Request) -> Response:
        _need_capability(self, request, PartyCapability.RECORD)
        values = valid_input(SendInput, request)
        batch = services.remittance_send(
            actor=request.user,
            org=_one(Organisation.objects, request.user, "org", values["org"]),
            amount=values["amount"],
            sent_on=values.get("date"),
            note=values["note"],
        )
        return Response(RemittanceOutput(batch).data, status=status.HTTP_201_CREATED)


class RemittanceReceiveApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.RECORD

    @extend_schema(
        request=ReceiveInput,
        responses={200: RemittanceOutput, **error_responses(400, 403, 404, 409)},
        summary="上级党组织登记收到一批（只能接收一次：409）",
    )
    def post(self, request: Request, pk: int) -> Response:
        batch = get_visible_or_404(
            Remittance.objects.select_related("to_org__area"), request.user, pk=pk
        )
        values = valid_input(ReceiveInput, request)
        batch = services.remittance_receive(
            actor=request.user,
            remittance=batch,
            received_amount=values.get("received_amount"),
            received_on=values.get("date"),
            note=values["note"],
        )
        return Response(RemittanceOutput(batch).data)


def figures_json(f: selectors.Figures, *, children: bool = True) -> dict[str, Any]:
    assert f.org is not None
    out: dict[str, Any] = {
        "org": f.org.pk,
        "name": f.org.name,
        "kind": f.org.kind,
        "donors": f.donors,
        "amount": yuan(f.amount),
        "members": f.members,
        "participation": str(f.participation),
        "above_suggested": f.above_suggested,
        "cumulative": {
            "donors": f.total_donors,
            "amount": yuan(f.total_amount),
            "above_suggested": f.total_above,
        },
    }
    if children:
        out["children"] = [figures_json(c, children=False) for c in f.children]
    return out


class SummaryApi(APIView):
    renderer_classes = [FastJSONRenderer]
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.VIEW

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, required=True),
            OpenApiParameter("date", str, description="YYYY-MM-DD, default today"),
        ],
        responses={200: dict, **error_responses(400, 403)},
        summary="某党组织某日的捐款汇总（金额为字符串，精确到分），含下级",
    )
    def get(self, request: Request) -> Response:
        org = _org_param(request)
        on = parse_day(request.query_params.get("date"))
        data = figures_json(selectors.summary(org, on))
        return Response({"date": on.isoformat(), **data})


def level_json(level: selectors.Level) -> dict[str, Any]:
    collected, received, passed_up, in_transit, from_below = level.fen
    return {
        "org": level.org.pk,
        "name": level.org.name,
        "kind": level.org.kind,
        "parent": level.org.parent_id,
        "collected": fen_text(collected),
        "received": fen_text(received),
        "passed_up": fen_text(passed_up),
        "held": fen_text(level.held_fen),
        "in_transit": fen_text(in_transit),
        "sent_from_below": fen_text(from_below),
        "differences": [
            {
                "kind": d.kind,
                "remittance": d.remittance.pk,
                "number": d.remittance.number,
                "from_org": d.remittance.from_org_id,
                "from_name": d.remittance.from_org.name,
                "sent_on": d.remittance.sent_on.isoformat(),
                "sent": fen_text(d.sent_fen),
                "received": None if d.received_fen is None else fen_text(d.received_fen),
            }
            for d in level.differences
        ],
    }


class ReconciliationApi(APIView):
    renderer_classes = [FastJSONRenderer]
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("org", int, required=True)],
        responses={200: dict, **error_responses(400, 403)},
        summary="对账：每一级的收取、收到下级、上缴、结存和差异（两边金额）",
    )
    def get(self, request: Request) -> Response:
        org = _org_param(request)
        levels = selectors.reconciliation(org)
        rows = [level_json(level) for level in levels]
        return Response(
            {
                "org": org.pk,
                "levels": rows,
                "differences": sum(len(level.differences) for level in levels),
            }
        )


class DonationImportInput(serializers.Serializer):  # type: ignore[type-arg]
    org = serializers.IntegerField(help_text="the organisation whose members the list names")
    file = serializers.FileField(
        help_text="Excel 工作簿：姓名、金额列必有；日期、交易单号、方式可选"
    )


class DonationImportRowOutput(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField(help_text="Excel row number")
    name = serializers.CharField()
    amount = serializers.CharField(help_text="as read; yuan exact to the fen when valid")
    on = serializers.CharField(allow_blank=True)
    receipt_no = serializers.CharField(allow_blank=True)
    member = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True, help_text="empty when the row is fine")


class DonationImportOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    org = serializers.IntegerField(source="org_id")
    valid_amount = _amount_out()
    rows = DonationImportRowOutput(many=True)

    class Meta:
        model = DonationImport
        fields = ["id", "org", "file_name", "status", "errors", "recorded", "valid_amount", "rows"]


class DonationImportConfirmInput(serializers.Serializer):  # type: ignore[type-arg]
    partial = serializers.BooleanField(  # type: ignore[assignment]
        default=False, help_text="true: record the rows without error and leave the others"
    )


class ImportsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.RECORD

    @extend_schema(
        request={"multipart/form-data": DonationImportInput},
        responses={201: DonationImportOutput, **error_responses(400, 403)},
        summary="上传转账名单（Excel），逐行匹配党员并检查，返回预览和错误；确认前不登记",
    )
    def post(self, request: Request) -> Response:
        values = valid_input(DonationImportInput, request)
        upload = values["file"]
        job = imports.import_read(
            actor=request.user,
            org=_one(Organisation.objects, request.user, "org", values["org"]),
            file=upload,
            name=upload.name or "",
        )
        return Response(DonationImportOutput(job).data, status=status.HTTP_201_CREATED)


class ImportConfirmApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = PartyCapability.RECORD

    @extend_schema(
        request=DonationImportConfirmInput,
        responses={200: DonationImportOutput, **error_responses(400, 403, 404, 409)},
        summary="确认导入：全部无误才登记；有误时须 partial=true 才只登记无误的行",
    )
    def post(self, request: Request, pk: int) -> Response:
        job = get_visible_or_404(DonationImport.objects.select_related("org"), request.user, pk=pk)
        values = valid_input(DonationImportConfirmInput, request)
        job = imports.import_confirm(actor=request.user, job=job, partial=values["partial"])
        return Response(DonationImportOutput(job).data)
