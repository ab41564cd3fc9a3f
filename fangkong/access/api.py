"""Passes and gates over the API. `POST /api/v1/gate-checks/` is the hot path (see
fangkong.access.checks): input is parsed by hand rather than by a serializer, the token is
checked from a cache, and the answer is a small JSON object.

Bad input to the gate check, each a 4xx naming the field, nothing logged:
* empty or non-object body → 400 (field null, code ``required``);
* ``check_id`` not a UUID, ``direction`` not in/out → 400;
* ``temperature`` missing, not a number or outside 34.0–42.0 °C → 400 (``temperature``);
  a number or the typed text, with a point, a comma or 。 before the tenths;
* none (or more than one) of ``pass_token`` / ``pass_number`` / ``document_number`` → 400;
  a typed pass number not of 10 digits (``invalid``) or failing its check digit
  (``check_digit``), or an invalid document number → 400;
* ``gate`` unknown, inactive, or outside the caller's area (another community) → 404 with
  field ``gate``: the same answer for both, telling nothing about other jurisdictions.

A well-formed but unknown (forged) ``pass_token`` is not an input error: it is a check
answered ``deny`` / ``no_pass`` and logged as a denial — what the guard must see and what
the log must keep. The same ``check_id`` again returns the first answer (same body, 201,
header ``Idempotent-Replayed: true``); the same ``check_id`` at another gate is a 409.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.access import checks, selectors, services
from fangkong.access.auth import CachedTokenAuthentication, scope_path
from fangkong.access.models import (
    Direction,
    Gate,
    GateCheck,
    GateKind,
    Pass,
    PassKind,
)
from fangkong.access.module import AccessCapability
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.api import HasCapability, ScopedListAPIView, error_responses
from fangkong.core.crypto import blind_index
from fangkong.core.errors import Conflict, invalid
from fangkong.core.identity import DOCUMENT_TYPES, validate_document
from fangkong.core.ids import IdField
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.temperature import parse_temperature
from fangkong.registry.models import Person

TOKEN_MAX = 200
GATE_ID_DIGITS = 15  # a bigint has 19; anything longer is no gate of ours


class BadInput(Exception):
    def __init__(self, field: str | None, reason: str, code: str = "invalid") -> None:
        super().__init__(reason)
        self.error = {"field": field, "code": code, "reason": reason}


def _temperature(value: Any) -> Decimal:
    """A JSON number or the text the guard typed ("36.5", "36,5", "36。5")."""
    try:
        return parse_temperature(value)
    except ValidationError as exc:
        error = exc.error_dict["temperature"][0]
        raise BadInput("temperature", " ".join(error.messages), error.code or "invalid") from None


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadInput(name, _("应为文本"), "invalid")
    if "\x00" in value:  # PostgreSQL text cannot hold it: a 500 at the lookup or the log
        raise BadInput(name, _("含有无法识别的字符，请重新扫码或输入"), "invalid")
    return value.strip()


def _pass_number(typed: str) -> str:
    """A typed pass number without the spaces and dashes printed on the card; the wrong
    length or a letter is told apart from a typo that the check digit caught."""
    number = typed.replace(" ", "").replace("-", "")
    digits = services.NUMBER_DIGITS
    if not (number.isascii() and number.isdigit()):
        raise BadInput(
            "pass_number",
            _("出入证号应为 %(digits)s 位数字，不含字母或符号") % {"digits": digits},
            "invalid",
        )
    if len(number) != digits:
        reason = _("出入证号应为 %(digits)s 位数字，现在是 %(count)s 位，请核对") % {
            "digits": digits,
            "count": len(number),
        }
        raise BadInput("pass_number", reason, "invalid")
    if not services.number_is_valid(number):
        raise BadInput(
            "pass_number", _("出入证号校验位不对，请核对（可能输错了一位）"), "check_digit"
        )
    return number


def parse_check(data: Any) -> checks.CheckInput:
    """The request body → a CheckInput, or BadInput naming the field."""
    if not isinstance(data, dict) or not data:
        raise BadInput(None, _("请求内容为空：需要 check_id、gate、出入证和体温"), "required")
    try:
        check_id = uuid.UUID(str(data.get("check_id") or ""))
    except ValueError:
        raise BadInput("check_id", _("check_id 应为设备生成的 UUID"), "invalid") from None
    gate = data.get("gate")
    if (
        isinstance(gate, bool)
        or not isinstance(gate, int | str)
        or not str(gate).isascii()
        or not str(gate).isdigit()
        or len(str(gate)) > GATE_ID_DIGITS
    ):
        raise BadInput("gate", _("请选择门岗"), "required" if gate in (None, "") else "invalid")
    direction = data.get("direction")
    if direction not in (Direction.IN, Direction.OUT):
        raise BadInput("direction", _("方向应为 in（进）或 out（出）"), "invalid")
    temperature = _temperature(data.get("temperature"))
    token, number = _text(data, "pass_token"), _text(data, "pass_number")
    document = _text(data, "document_number")
    given = [name for name, v in (("pass_token", token), ("pass_number", number)) if v]
    if document:
        given.append("document_number")
    if len(given) != 1:
        raise BadInput(
            "pass_token",
            _("请扫描出入证二维码，或输入出入证号、证件号码（三选一）"),
            "required" if not given else "ambiguous",
        )
    document_type, document_index = "", ""
    if token and len(token) > TOKEN_MAX:
        raise BadInput("pass_token", _("二维码内容过长，不是出入证"), "invalid")
    if number:
        number = _pass_number(number)
    if document:
        document_type = _text(data, "document_type") or "resident_id"
        if document_type not in DOCUMENT_TYPES:
            raise BadInput(
                "document_type",
                _("不支持的证件类型“%(document_type)s”") % {"document_type": document_type},
                "invalid",
            )
        try:
            normalised = validate_document(document_type, document)
        except ValidationError as exc:
            raise BadInput(
                "document_number", " ".join(exc.messages), exc.code or "invalid"
            ) from None
        document_index = blind_index(f"doc:{document_type}", normalised)
    plate = _text(data, "plate").upper()[:16]
    return checks.CheckInput(
        check_id=check_id,
        gate_id=int(gate),
        direction=str(direction),
        temperature=temperature,
        pass_token=token,
        pass_number=number,
        document_type=document_type,
        document_index=document_index,
        plate=plate,
    )


CheckRequest = inline_serializer(
    "GateCheckRequest",
    {
        "check_id": serializers.UUIDField(help_text="设备为这次查验生成的 UUID；重试时不变"),
        "gate": serializers.IntegerField(help_text="门岗编号"),
        "pass_token": serializers.CharField(required=False, help_text="扫描到的二维码内容"),
        "pass_number": serializers.CharField(required=False, help_text="手输的出入证号"),
        "document_number": serializers.CharField(required=False, help_text="手输的证件号码"),
        "document_type": serializers.ChoiceField(
            choices=DOCUMENT_TYPES, required=False, help_text="默认 resident_id"
        ),
        "direction": serializers.ChoiceField(choices=Direction.choices),
        "temperature": serializers.DecimalField(
            max_digits=3,
            decimal_places=1,
            help_text='体温（°C），34.0–42.0；也收所输文本 "36,5"、"36。5"',
        ),
        "plate": serializers.CharField(required=False, help_text="车牌（车库出入口）"),
    },
)
CheckResponse = inline_serializer(
    "GateCheckResult",
    {
        "check_id": serializers.UUIDField(),
        "decision": serializers.CharField(help_text="admit（通行）或 deny（禁止通行）"),
        "reasons": serializers.ListField(child=serializers.CharField()),
        "person": inline_serializer(
            "GateCheckPerson", {"name": serializers.CharField()}, allow_null=True
        ),
    },
)


class CheckOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    gate_name = serializers.CharField(source="gate.name")
    area = serializers.CharField(source="area.code")
    person = serializers.SerializerMethodField()
    pass_number = serializers.CharField(source="gate_pass.number", default=None, allow_null=True)
    reasons = serializers.ListField(source="reason_codes", child=serializers.CharField())
    decision = serializers.CharField(help_text="admit / deny")

    class Meta:
        model = GateCheck
        fields = [
            "check_id",
            "gate",
            "gate_name",
            "area",
            "direction",
            "temperature",
            "decision",
            "reasons",
            "person",
            "pass_number",
            "plate",
            "at",
        ]

    def get_person(self, check: GateCheck) -> dict[str, Any] | None:
        person = check.person
        return None if person is None else {"id": person.pk, "name": person.masked_name}


def answer(user: Any, payload: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
    """One gate check for an authenticated `user` who may check: (status, body, headers).
    Shared by DRF's post() and the token fast path below."""
    try:
        data = parse_check(payload)
    except BadInput as exc:
        return 400, {"errors": [exc.error]}, {}
    gate = checks.gate_info(data.gate_id)
    if gate is None or not gate.active or not gate.visible_to(scope_path(user)):
        reason = _("门岗不存在或不在您的管辖范围内")
        return 404, {"errors": [{"field": "gate", "code": "not_found", "reason": reason}]}, {}
    try:
        outcome = checks.gate_check(guard_id=user.pk, gate=gate, data=data)
    except Conflict as exc:
        return 409, {"errors": [{"field": exc.field, "code": exc.code, "reason": exc.reason}]}, {}
    body = {
        "check_id": str(outcome.check_id),
        "decision": outcome.decision,
        "reasons": list(outcome.reasons),
        "person": None if outcome.person_name is None else {"name": outcome.person_name},
    }
    return 201, body, ({} if outcome.created else {"Idempotent-Replayed": "true"})


def _json(status_code: int, body: dict[str, Any], headers: dict[str, str]) -> HttpResponse:
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(content, status=status_code, content_type="application/json")
    for name, value in headers.items():
        response[name] = value
    return response


def _error(status_code: int, field: str | None, code: str, reason: str) -> HttpResponse:
    return _json(status_code, {"errors": [{"field": field, "code": code, "reason": reason}]}, {})


_TOKEN = CachedTokenAuthentication()


def token_fast_path(request: HttpRequest) -> HttpResponse:
    """POST with `Authorization: Token …` and a JSON body — the devices at the gates —
    without DRF's request wrapping, negotiation and rendering: the same answers, errors
    and status codes as the DRF path (which session-authenticated pages still take).
    A device's check (no cookies) reaches it from the WSGI handler directly, without the
    URL resolver and most of the middleware (fangkong.access.wsgi); others through
    GateCheckApi.dispatch below."""
    key = request.META["HTTP_AUTHORIZATION"][len("Token ") :].strip()
    try:
        user, _token = _TOKEN.authenticate_credentials(key)
    except exceptions.AuthenticationFailed as exc:
        response = _error(401, "Authorization", "authentication_failed", str(exc.detail))
        response["WWW-Authenticate"] = "Token"
        return response
    if not user.can(AccessCapability.GATE_CHECK):
        return _error(403, None, "permission_denied", _("您的角色无权进行此操作。"))
    try:
        payload = json.loads(request.body) if request.body else None
    except ValueError as exc:
        return _error(400, None, "parse_error", f"JSON parse error - {exc}")
    request.user = user
    return _json(*answer(user, payload))


class GateCheckApi(APIView):
    """The gate check (hot path) and the scoped log of checks."""

    authentication_classes = [CachedTokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    throttle_classes: list[Any] = []

    @property
    def capability(self) -> str:
        return (
            AccessCapability.GATE_CHECK
            if self.request.method == "POST"
            else AccessCapability.PASSES_VIEW
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.method == "POST"
            and request.META.get("HTTP_AUTHORIZATION", "").startswith("Token ")
            and request.content_type == "application/json"
        ):
            return token_fast_path(request)
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        operation_id="gate_check",
        request=CheckRequest,
        responses={201: CheckResponse, **error_responses(400, 403, 404, 409)},
        description=__doc__,
    )
    def post(self, request: Request) -> Response:
        status_code, body, headers = answer(request.user, request.data)
        return Response(body, status=status_code, headers=headers)

    @extend_schema(operation_id="gate_checks_list", responses={200: CheckOutput(many=True)})
    def get(self, request: Request) -> Response:
        from fangkong.core.pagination import Pagination

        qs = selectors.checks_filtered(user=request.user, params=request.query_params)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CheckOutput(page, many=True).data)


# --- gates, passes, referrals, visits -----------------------------------------------------
class GateOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    opens: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Gate
        fields = ["id", "name", "kind", "area", "area_name", "opens", "staffed_24h", "active"]


class GateInput(serializers.Serializer):  # type: ignore[type-arg]
    area = serializers.CharField(help_text="所在社区、村或片区的代码")
    name = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=GateKind.choices, default=GateKind.ENTRANCE)
    opens = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="可进入的片区代码；默认所在区域"
    )


class GateListApi(ScopedListAPIView):
    """Gates the caller may see (a guard: the gates of their post's area); POST sets one up."""

    serializer_class = GateOutput

    @property
    def capability(self) -> str | None:  # type: ignore[override]
        # Guards and workers alike read the gates; setting one up is a pass issuer's work.
        return AccessCapability.PASSES_ISSUE if self.request.method == "POST" else None

    def base_queryset(self) -> Any:
        return Gate.objects.select_related("area").prefetch_related("opens")

    @extend_schema(
        request=GateInput,
        responses={201: GateOutput, **error_responses(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        given = GateInput(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        area = area_visible_by_code(user=request.user, code=values["area"])
        opens = [
            area_visible_by_code(user=request.user, code=code, field_name="opens")
            for code in values.get("opens", [])
        ]
        gate = services.gate_create(
            actor=request.user,
            area=area,
            name=values["name"],
            kind=values["kind"],
            opens=opens or None,
        )
        return Response(GateOutput(gate).data, status=201)


class PassOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    person = serializers.SerializerMethodField()
    kind = serializers.CharField(help_text="resident / worker / temporary")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    effective_status = serializers.SerializerMethodField()

    class Meta:
        model = Pass
        fields = [
            "id",
            "number",
            "person",
            "area",
            "area_name",
            "kind",
            "status",
            "effective_status",
            "valid_until",
            "replaced_by",
            "issued_at",
        ]

    def get_person(self, gate_pass: Pass) -> dict[str, Any]:
        p = gate_pass.person
        return {"id": p.pk, "name": p.name, "document_number": p.document_masked}

    def get_effective_status(self, gate_pass: Pass) -> str:
        return selectors.effective_status(gate_pass, timezone.localdate())


class PassInput(serializers.Serializer):  # type: ignore[type-arg]
    person = IdField()
    area = serializers.CharField(max_length=32)
    kind = serializers.ChoiceField(choices=PassKind.choices)
    valid_until = serializers.DateField(required=False, allow_null=True)
    verified = serializers.BooleanField(help_text="已当面核验本人证件")


class PassListApi(ScopedListAPIView):
    """Passes in the caller's area; POST issues one (capability passes.issue)."""

    serializer_class = PassOutput

    @property
    def capability(self) -> str:  # type: ignore[override]
        return (
            AccessCapability.PASSES_ISSUE
            if self.request.method == "POST"
            else AccessCapability.PASSES_VIEW
        )

    def base_queryset(self) -> Any:
        return Pass.objects.select_related("person", "area").annotate(
            observed=selectors.holder_observed(timezone.localdate())
        )

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()
        if self.request.query_params.get("status"):
            qs = qs.filter(status=self.request.query_params["status"])
        return qs

    @extend_schema(request=PassInput, responses={201: PassOutput, **error_responses(400, 403)})
    def post(self, request: Request) -> Response:
        data = PassInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = get_visible_or_404(Person, request.user, pk=v["person"])
        area = area_visible_by_code(user=request.user, code=v["area"])
        gate_pass = services.pass_issue(
            actor=request.user,
            person=person,
            area=area,
            kind=v["kind"],
            valid_until=v.get("valid_until"),
            verified=v["verified"],
        )
        return Response(PassOutput(gate_pass).data, status=status.HTTP_201_CREATED)


class PassActionInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# The page's buttons on a pass (补办, 暂停, 恢复, 作废); the reason is needed but to resume.
PASS_ACTIONS: dict[str, Any] = {
    "replace": services.pass_replace,
    "suspend": services.pass_suspend,
    "reactivate": services.pass_reactivate,
    "revoke": services.pass_revoke,
}


class PassActionApi(APIView):
    """Replace (the old pass is void at once), suspend, reactivate or revoke a pass."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability = AccessCapability.PASSES_ISSUE

    @extend_schema(
        operation_id="v1_passes_action",
        request=PassActionInput,
        responses={200: PassOutput, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        gate_pass = get_visible_or_404(Pass, request.user, pk=pk)
        service = PASS_ACTIONS.get(action)
        if service is None:
            raise invalid(
                "action",
                _("操作应为：%(choices)s") % {"choices": "、".join(PASS_ACTIONS)},
                "invalid_choice",
            )
        given = PassActionInput(data=request.data)
        given.is_valid(raise_exception=True)
        kwargs: dict[str, Any] = {"actor": request.user, "gate_pass": gate_pass}
        if action != "reactivate":
            kwargs["reason"] = given.validated_data["reason"]
        return Response(PassOutput(service(**kwargs)).data)
