"""The API's shared pieces: one error format for every 4xx, pagination, scoped views.

Errors always look like {"errors": [{"field": "parent", "code": "cycle", "reason": "…"}]};
`field` is null when the error is not about one input field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, generics, permissions, renderers, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from fangkong.core.errors import Conflict
from fangkong.core.scoping import ScopedQuerySet, get_visible_or_404

NON_FIELD = {"non_field_errors", "__all__"}


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    if isinstance(detail, dict):
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = None if key in NON_FIELD else (f"{field}.{key}" if field else str(key))
            out.extend(_flatten(value, name))
        return out
    if isinstance(detail, list):
        # A list of objects (a nested serializer with many=True) has one entry per row, {}
        # for a good one: the row's index goes into the name, findings.1.status.
        return [
            item
            for i, value in enumerate(detail)
            for item in _flatten(
                value, f"{field}.{i}" if isinstance(value, dict) and field else field
            )
        ]
    code = getattr(detail, "code", None) or "invalid"
    return [{"field": field, "code": code, "reason": str(detail)}]


def django_errors(error: DjangoValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {
                "field": None if key in NON_FIELD else key,
                "code": e.code or "invalid",
                "reason": " ".join(e.messages),
            }
            for key, errors in error.error_dict.items()
            for e in errors
        ]
    return [
        {"field": None, "code": e.code or "invalid", "reason": " ".join(e.messages)}
        for e in error.error_list
    ]


def error_response(errors: list[dict[str, Any]], status_code: int, **extra: Any) -> Response:
    return Response({"errors": errors, **extra}, status=status_code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        return error_response(django_errors(exc), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return error_response(
            [{"field": exc.field, "code": exc.code, "reason": exc.reason}],
            exc.status_code,
            **exc.extra,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到，或不在您的管辖范围内。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("您的角色无权进行此操作。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let it surface as a 500 and be logged
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        field = (
            "Authorization"
            if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated)
            else None
        )
        errors = [{"field": field, "code": getattr(detail, "code", "error"), "reason": str(detail)}]
    response.data = {"errors": errors}
    return response


class HasCapability(permissions.BasePermission):
    """Role check: the view names the capability it needs in `capability`."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        needed = getattr(view, "capability", None)
        if needed is None:
            return True
        user = request.user
        return bool(user and user.is_authenticated and user.can(needed))


class ScopedListAPIView(generics.ListAPIView):  # type: ignore[type-arg]
    """Base for every list endpoint: the queryset is always cut to the caller's area."""

    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability: str | None = None

    def base_queryset(self) -> ScopedQuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.base_queryset().visible_to(self.request.user)


class ScopedRetrieveAPIView(generics.RetrieveAPIView):  # type: ignore[type-arg]
    permission_classes = [permissions.IsAuthenticated, HasCapability]
    capability: str | None = None

    def base_queryset(self) -> ScopedQuerySet[Any]:
        raise NotImplementedError

    def get_object(self) -> Any:
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        return get_visible_or_404(self.base_queryset(), self.request.user, **lookup)


class _ErrorItem(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField(allow_null=True, help_text="the input it is about, or null")
    code = serializers.CharField(help_text="a stable machine code, e.g. required, out_of_scope")
    reason = serializers.CharField(
        help_text="the reason, in words, in the language of the request (Chinese by default)"
    )


class ErrorBody(serializers.Serializer):  # type: ignore[type-arg]
    """Every 4xx answer of the API."""

    errors = _ErrorItem(many=True)  # type: ignore[assignment]


_ERROR_MEANING = {
    400: "输入有误：errors 指明字段和原因，什么也没有写入",
    401: "未登录或令牌无效",
    403: "角色无权进行此操作",
    404: "不存在，或不在您的管辖范围内",
    409: "与现有记录冲突（如已发布的版本、已登记的证件）",
    429: "提交过于频繁，稍后再试",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error answers an operation documents in the schema, all in one shape."""
    return {code: OpenApiResponse(ErrorBody, description=_ERROR_MEANING[code]) for code in codes}


def valid_input(
    serializer: type[serializers.Serializer],  # type: ignore[type-arg]
    request: Request,
    *,
    partial: bool = False,
) -> dict[str, Any]:
    """The request body checked by `serializer`: its values, or a 400 naming each field."""
    given = serializer(data=request.data, partial=partial)
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)


def _as_text(value: Any) -> str:
    if isinstance(value, Promise | Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class FastJSONRenderer(renderers.BaseRenderer):
    """JSON written by orjson, for the large read-only answers (a district's duty coverage
    holds 42,000 shift instances; the standard encoder spends longer on it than the query).
    Dates and times go out in ISO form; lazy translations and Decimals as text."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_as_text)
