"""Sent-down cadres over the API: organs (and how many each sends), cadres (register,
reassign, end), the daily health check and sign-in, insurance, training, reports, and
the allocation: `GET /api/v1/cadres/allocation/?area=<code>` (targets, priority scores
and why, proposed numbers, totals) and `POST` to confirm it as adjusted."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.areas.selectors import area_visible_by_code
from fangkong.cadres import selectors, services
from fangkong.cadres.allocation import propose
from fangkong.cadres.models import Cadre, HealthCheck, Insurance, Organ, OrganKind, SignIn, Training
from fangkong.cadres.module import CadresCapability
from fangkong.cadres.placement import Short, shortfall
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses, valid_input
from fangkong.core.errors import invalid
from fangkong.core.ids import IdField
from fangkong.core.scoping import get_visible_or_404


class CadresOrganOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Organ
        fields = ["id", "name", "kind", "sends"]


class CadresOrganInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=OrganKind.choices, default=OrganKind.ORGAN)


class CadresSendsInput(serializers.Serializer):  # type: ignore[type-arg]
    sends = serializers.IntegerField(min_value=0, max_value=10_000)


class CadresCadreOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    organ = serializers.CharField(source="organ.name")
    area = serializers.CharField(source="area.code", allow_null=True, default=None)
    account = serializers.CharField(source="account.username", allow_null=True, default=None)
    fit_today = serializers.BooleanField(allow_null=True, default=None)
    signed_in = serializers.BooleanField(default=False)
    insured = serializers.BooleanField(default=False)

    class Meta:
        model = Cadre
        fields = [
            "id", "name", "organ", "area", "account", "phone_masked", "distance_km", "active",
            "fit_today", "signed_in", "insured",
        ]  # fmt: skip


class CadresCadreInput(serializers.Serializer):  # type: ignore[type-arg]
    organ = IdField()
    name = serializers.CharField(max_length=50)
    area = serializers.CharField(help_text="community / village code")
    starts_on = serializers.DateField()
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    distance_km = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, default=None
    )
    account = serializers.CharField(required=False, help_text="the cadre's username")


class CadresHealthInput(serializers.Serializer):  # type: ignore[type-arg]
    temperature = serializers.CharField(help_text="e.g. 36.5")
    symptoms = serializers.BooleanField(default=False)


class CadresHealthOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = HealthCheck
        fields = ["id", "cadre", "on", "temperature", "symptoms", "fit"]


class CadresSignInOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")

    class Meta:
        model = SignIn
        fields = ["id", "cadre", "area", "on", "at"]


class CadresReassignInput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField()
    on = serializers.DateField()


class CadresEndInput(serializers.Serializer):  # type: ignore[type-arg]
    on = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CadresInsuranceInput(serializers.Serializer):  # type: ignore[type-arg]
    insurer = serializers.CharField(max_length=60)
    policy_number = serializers.CharField(max_length=40)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class CadresInsuranceOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Insurance
        fields = ["id", "cadre", "insurer", "policy_number", "starts_on", "ends_on"]


class CadresTrainingInput(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=100)
    on = serializers.DateField()


class CadresTrainingOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Training
        fields = ["id", "cadre", "title", "on"]


class CadresAllocationLineInput(serializers.Serializer):  # type: ignore[type-arg]
    organ = IdField()
    area = serializers.CharField()
    number = serializers.IntegerField(min_value=0, max_value=10_000)


class CadresAllocationInput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField(help_text="the scope: the district, or a street / township")
    lines = CadresAllocationLineInput(many=True)


def _organ(pk: int) -> Organ:
    organ = Organ.objects.filter(pk=pk).first()
    if organ is None:
        raise invalid("organ", _("没有这个派出单位"), "unknown")
    return organ


def _cadre(request: Request, pk: int) -> Cadre:
    return get_visible_or_404(Cadre.objects.select_related("area", "organ"), request.user, pk=pk)


class OrgansApi(ScopedListAPIView):
    serializer_class = CadresOrganOutput
    capability = CadresCapability.VIEW
    pagination_class = None

    def get_queryset(self) -> QuerySet[Organ]:
        return Organ.objects.all()

    @extend_schema(
        request=CadresOrganInput,
        responses={201: CadresOrganOutput, **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        values = valid_input(CadresOrganInput, request)
        organ = services.organ_create(actor=request.user, name=values["name"], kind=values["kind"])
        return Response(CadresOrganOutput(organ).data, status=status.HTTP_201_CREATED)


class OrganSendsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = CadresCapability.MANAGE

    @extend_schema(
        request=CadresSendsInput,
        responses={200: CadresOrganOutput, **error_responses(400, 403, 404)},
        summary="填写派出单位选派人数（区里）",
    )
    def post(self, request: Request, pk: int) -> Response:
        organ = get_visible_or_404(Organ.objects.all(), request.user, pk=pk)
        values = valid_input(CadresSendsInput, request)
        organ = services.organ_sends_set(actor=request.user, organ=organ, sends=values["sends"])
        return Response(CadresOrganOutput(organ).data)


class CadresApi(ScopedListAPIView):
    """Cadres the caller may see, with today's health check, sign-in and insurance;
    `list=unwell|uninsured|expiring` narrows it."""

    serializer_class = CadresCadreOutput
    capability = CadresCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("list", str, enum=["unwell", "uninsured", "expiring"])],
        responses={200: CadresCadreOutput(many=True), **error_responses(400)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Cadre]:
        today = timezone.localdate()
        which = self.request.query_params.get("list", "")
        user = self.request.user
        if which == "uninsured":
            return selectors.uninsured(user=user, on=today)
        if which == "expiring":
            return selectors.expiring(user=user, on=today)
        qs = selectors.cadres_visible(user=user, on=today)
        if which == "unwell":
            return qs.filter(Q(fit_today=False))
        if which:
            raise invalid("list", _("list 应为 unwell、uninsured 或 expiring"), "invalid")
        return qs

    @extend_schema(
        request=CadresCadreInput,
        responses={201: CadresCadreOutput, **error_responses(400, 403)},
        summary="登记下沉干部并安排到社区（村）",
    )
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.can(CadresCapability.MANAGE):
            self.permission_denied(request)
        values = valid_input(CadresCadreInput, request)
        account = None
        if values.get("account"):
            account = User.objects.filter(username=values["account"]).first()
            if account is None:
                raise invalid("account", _("没有这个账号"), "unknown")
        cadre = services.cadre_register(
            actor=user,
            organ=_organ(values["organ"]),
            name=values["name"],
            area=area_visible_by_code(user=user, code=values["area"]),
            starts_on=values["starts_on"],
            phone=values["phone"],
            distance_km=values["distance_km"],
            account=account,
        )
        return Response(CadresCadreOutput(cadre).data, status=status.HTTP_201_CREATED)


class _CadreAction(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability: str = CadresCapability.MANAGE


class HealthCheckApi(_CadreAction):
    capability = CadresCapability.CHECK

    @extend_schema(
        request=CadresHealthInput,
        responses={201: CadresHealthOutput, **error_responses(400, 403, 404, 409)},
        summary="今日健康监测（发热或有症状：今天不能上岗）",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(CadresHealthInput, request)
        check = services.health_check_record(
            actor=request.user,
            cadre=_cadre(request, pk),
            temperature=values["temperature"],
            symptoms=values["symptoms"],
        )
        return Response(CadresHealthOutput(check).data, status=status.HTTP_201_CREATED)


class SignInApi(_CadreAction):
    capability = CadresCapability.CHECK

    @extend_schema(
        request=None,
        responses={201: CadresSignInOutput, **error_responses(400, 403, 404, 409)},
        summary="今日到社区签到（须先做健康监测且正常）",
    )
    def post(self, request: Request, pk: int) -> Response:
        row = services.sign_in(actor=request.user, cadre=_cadre(request, pk))
        return Response(CadresSignInOutput(row).data, status=status.HTTP_201_CREATED)


class ReassignApi(_CadreAction):
    @extend_schema(
        request=CadresReassignInput,
        responses={200: CadresCadreOutput, **error_responses(400, 403, 404)},
        summary="调整下沉社区（村）（街乡在本辖区内调整）",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(CadresReassignInput, request)
        cadre = services.cadre_reassign(
            actor=request.user,
            cadre=_cadre(request, pk),
            area=area_visible_by_code(user=request.user, code=values["area"]),
            on=values["on"],
        )
        return Response(CadresCadreOutput(cadre).data)


class EndApi(_CadreAction):
    @extend_schema(
        request=CadresEndInput,
        responses={200: CadresCadreOutput, **error_responses(400, 403, 404, 409)},
        summary="结束下沉",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(CadresEndInput, request)
        cadre = services.deployment_end(
            actor=request.user, cadre=_cadre(request, pk), on=values["on"], reason=values["reason"]
        )
        return Response(CadresCadreOutput(cadre).data)


class InsuranceApi(_CadreAction):
    @extend_schema(
        request=CadresInsuranceInput,
        responses={201: CadresInsuranceOutput, **error_responses(400, 403, 404)},
        summary="登记人身意外保险",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(CadresInsuranceInput, request)
        insurance = services.insurance_record(
            actor=request.user, cadre=_cadre(request, pk), **values
        )
        return Response(CadresInsuranceOutput(insurance).data, status=status.HTTP_201_CREATED)


class TrainingApi(_CadreAction):
    @extend_schema(
        request=CadresTrainingInput,
        responses={201: CadresTrainingOutput, **error_responses(400, 403, 404)},
        summary="登记培训",
    )
    def post(self, request: Request, pk: int) -> Response:
        values = valid_input(CadresTrainingInput, request)
        training = services.training_record(actor=request.user, cadre=_cadre(request, pk), **values)
        return Response(CadresTrainingOutput(training).data, status=status.HTTP_201_CREATED)


class CadreReportApi(_CadreAction):
    capability = CadresCapability.VIEW

    @extend_schema(
        responses={
            200: inline_serializer(
                "CadreReport",
                {
                    "id": serializers.IntegerField(),
                    "name": serializers.CharField(),
                    "organ": serializers.CharField(),
                    "days_served": serializers.IntegerField(),
                    "communities": serializers.ListField(child=serializers.CharField()),
                    "unwell_days": serializers.IntegerField(),
                    "trainings": serializers.IntegerField(),
                    "tasks_done": serializers.IntegerField(),
                },
            ),
            **error_responses(404),
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        report = selectors.cadre_report(_cadre(request, pk))
        return Response(
            {
                "id": report.cadre.pk,
                "name": report.cadre.name,
                "organ": report.cadre.organ.name,
                "days_served": report.days_served,
                "communities": report.communities,
                "unwell_days": report.unwell_days,
                "trainings": report.trainings,
                "tasks_done": report.tasks_done,
            }
        )


class OrganReportApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = CadresCapability.VIEW

    @extend_schema(
        responses={
            200: inline_serializer(
                "OrganReportRow",
                {
                    "organ": serializers.CharField(),
                    "cadres": serializers.IntegerField(),
                    "active": serializers.IntegerField(),
                    "signed_in": serializers.IntegerField(),
                    "unwell": serializers.IntegerField(),
                    "days_served": serializers.IntegerField(),
                    "communities": serializers.IntegerField(),
                },
                many=True,
            )
        }
    )
    def get(self, request: Request) -> Response:
        rows = selectors.organ_report(user=request.user, on=timezone.localdate())
        return Response(
            [
                {
                    "organ": r.organ.name,
                    "cadres": r.cadres,
                    "active": r.active,
                    "signed_in": r.signed_in,
                    "unwell": r.unwell,
                    "days_served": r.days_served,
                    "communities": r.communities,
                }
                for r in rows
            ]
        )


_TARGET = inline_serializer(
    "AllocationTarget",
    {
        "area": serializers.CharField(),
        "name": serializers.CharField(),
        "parent": serializers.CharField(),
        "rank": serializers.IntegerField(),
        "score": serializers.DecimalField(max_digits=8, decimal_places=3),
        "inverted": serializers.BooleanField(),
        "registered": serializers.IntegerField(),
        "migrants": serializers.IntegerField(),
        "not_back_households": serializers.IntegerField(),
        "observed": serializers.IntegerField(),
        "workers": serializers.IntegerField(),
        "reasons": serializers.ListField(child=serializers.CharField()),
        "proposed": serializers.IntegerField(),
        "organs": serializers.DictField(child=serializers.IntegerField()),
    },
)


_MOVE = inline_serializer(
    "AllocationMove",
    {
        "cadre": serializers.IntegerField(),
        "name": serializers.CharField(),
        "area": serializers.CharField(help_text="where the cadre serves from today"),
    },
)
_SHORT = inline_serializer(
    "AllocationShortfall",
    {
        "organ": serializers.CharField(),
        "area": serializers.CharField(),
        "name": serializers.CharField(),
        "number": serializers.IntegerField(help_text="confirmed"),
        "present": serializers.IntegerField(help_text="the organ's cadres serving there"),
        "missing": serializers.IntegerField(),
    },
)


def _short(s: Short) -> dict[str, Any]:
    return {
        "organ": s.organ.name,
        "area": s.target.code,
        "name": s.target.name,
        "number": s.number,
        "present": s.present,
        "missing": s.missing,
    }


class AllocationApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = CadresCapability.VIEW

    @extend_schema(
        parameters=[OpenApiParameter("area", str, required=True, description="an area code")],
        responses={
            200: inline_serializer(
                "AllocationProposal",
                {
                    "area": serializers.CharField(),
                    "total": serializers.IntegerField(help_text="cadres the organs send"),
                    "proposed_total": serializers.IntegerField(help_text="always equals total"),
                    "organs": serializers.DictField(child=serializers.IntegerField()),
                    "targets": _TARGET.__class__(many=True),
                    "shortfall": _SHORT.__class__(many=True),
                },
            ),
            **error_responses(400),
        },
        summary="下沉干部分配建议：按优先分排序的社区（村）、建议人数及理由",
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("area", "")
        if not code:
            raise invalid("area", _("请填写 area（区域代码）"), "required")
        area = area_visible_by_code(user=request.user, code=code)
        proposal = propose(area=area)
        return Response(
            {
                "area": area.code,
                "total": proposal.total,
                "proposed_total": proposal.proposed_total,
                "organs": {organ.name: n for organ, n in proposal.organs},
                "targets": [
                    {
                        "area": t.area.code,
                        "name": t.area.name,
                        "parent": t.parent,
                        "rank": rank,
                        "score": str(t.score),
                        "inverted": t.inverted,
                        "registered": t.registered,
                        "migrants": t.migrants,
                        "not_back_households": t.not_back_households,
                        "observed": t.observed,
                        "workers": t.workers,
                        "reasons": t.reasons,
                        "proposed": t.proposed,
                        "organs": t.organs,
                    }
                    for rank, t in enumerate(proposal.targets, start=1)
                ],
                "shortfall": [_short(s) for s in shortfall(user=request.user, area=area)],
            }
        )

    @extend_schema(
        request=CadresAllocationInput,
        responses={
            201: inline_serializer(
                "AllocationConfirmed",
                {
                    "lines": serializers.IntegerField(),
                    "cadres": serializers.IntegerField(),
                    "kept": serializers.IntegerField(help_text="cadres already in place"),
                    "moved": _MOVE.__class__(many=True),
                    "shortfall": _SHORT.__class__(many=True),
                },
            ),
            **error_responses(400, 403),
        },
        summary=(
            "确认分配（调整后）：各单位人数须与选派人数一致；"
            "同时按分配安排干部到岗，返回调整的干部和人手不足之处"
        ),
    )
    def post(self, request: Request) -> Response:
        user: Any = request.user
        if not user.can(CadresCapability.MANAGE):
            self.permission_denied(request)
        values = valid_input(CadresAllocationInput, request)
        scope = area_visible_by_code(user=user, code=values["area"])
        areas = {
            a.code: a
            for a in Area.objects.filter(code__in=[line["area"] for line in values["lines"]])
        }
        lines = []
        for line in values["lines"]:
            target = areas.get(line["area"])
            if target is None:
                raise invalid(
                    "area", _("没有这个区域：%(code)s") % {"code": line["area"]}, "unknown"
                )
            lines.append((_organ(line["organ"]), target, line["number"]))
        confirmed = services.allocation_confirm(actor=user, area=scope, lines=lines)
        rows, placed = confirmed.rows, confirmed.placement
        return Response(
            {
                "lines": len(rows),
                "cadres": sum(r.number for r in rows),
                "kept": placed.kept,
                "moved": [
                    {"cadre": m.cadre.pk, "name": m.cadre.name, "area": m.target.code}
                    for m in placed.moves
                ],
                "shortfall": [_short(s) for s in placed.shortfall],
            },
            status=status.HTTP_201_CREATED,
        )
