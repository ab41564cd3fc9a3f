from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fangkong.contacts.services import SUBJECTS, call_reveal
from fangkong.core.api import error_responses
from fangkong.core.ids import IdField


class CallInput(serializers.Serializer):  # type: ignore[type-arg]
    subject = serializers.ChoiceField(
        choices=list(SUBJECTS),
        help_text="alert 发热预警；call_task 电话询问；notice 报备；referral 门岗转交",
    )
    id = IdField()


class CallOutput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    phone = serializers.CharField(help_text="E.164")
    tel = serializers.CharField(help_text="tel: 链接")
    reason = serializers.CharField()


class CallApi(APIView):
    """The number to call for a task, revealed for that task and audited."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=CallInput, responses={200: CallOutput, **error_responses(400, 401, 403, 404)}
    )
    def post(self, request: Request) -> Response:
        given = CallInput(data=request.data)
        given.is_valid(raise_exception=True)
        dial = call_reveal(
            actor=request.user,
            subject=given.validated_data["subject"],
            pk=given.validated_data["id"],
            request=request._request,
        )
        return Response(
            {"name": dial.name, "phone": dial.phone, "tel": dial.tel, "reason": dial.reason}
        )
