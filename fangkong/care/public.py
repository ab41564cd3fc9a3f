"""我需要帮助 from the resident's self-report link (/r/help/<token>/): the same signed link
as the temperature page (checked by arrivals), so the request lands in the community of
that observation and nowhere else. Success goes back to the phone page, which lists the
resident's requests and their status; bad input shows the form again with the reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.arrivals.health.services import SelfReportLinkError, self_report_observation
from fangkong.care.models import RequestKind
from fangkong.care.services import request_raise_by_resident


@never_cache
@require_POST
def help_request(request: HttpRequest, token: str) -> HttpResponse:
    try:
        observation = self_report_observation(token=token)
    except SelfReportLinkError as error:
        return render(
            request,
            "arrivals/public_report_error.html",
            {"reason": error.reason, "code": error.code},
            status=error.status_code,
        )
    try:
        request_raise_by_resident(
            observation=observation,
            kind=request.POST.get("kind", ""),
            detail=request.POST.get("detail", ""),
        )
    except ValidationError as exc:
        return render(
            request,
            "care/public_help.html",
            {
                "token": token,
                "kinds": RequestKind.choices,
                "kind": request.POST.get("kind", ""),
                "detail": request.POST.get("detail", ""),
                "errors": exc.message_dict,
            },
            status=400,
        )
    return redirect(reverse("public:self-report", kwargs={"token": token}) + "?help=1#help")
