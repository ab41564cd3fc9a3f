"""The self-report page (/r/report/<token>/): a person under observation reports the
temperature on a phone through the personal signed link or QR code, without an account.
The same rules as everywhere (arrivals.health.services); a forged or expired link gets a
clear page, never a 500."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fangkong.arrivals.health.services import (
    SelfReportLinkError,
    is_fever,
    self_report_observation,
    self_report_status,
    self_report_submit,
)
from fangkong.arrivals.models import SYMPTOMS, Observation, Slot
from fangkong.arrivals.panels import SELF_REPORT, PanelPlace, public_panels


def _link_error(request: HttpRequest, error: SelfReportLinkError) -> HttpResponse:
    return render(
        request,
        "arrivals/public_report_error.html",
        {"reason": error.reason, "code": error.code},
        status=error.status_code,
    )


def _form(
    request: HttpRequest,
    observation: Observation,
    token: str,
    *,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    state = self_report_status(observation=observation)
    slots = [
        {"label": str(label), "temperature": state.reported[value], "current": value == state.slot}
        for value, label in Slot.choices
    ]
    return render(
        request,
        "arrivals/public_report.html",
        {
            "state": state,
            "slots": slots,
            "already": state.reported[state.slot] is not None,
            "symptoms": [(code, _(label)) for code, label in SYMPTOMS.items()],
            "chosen": request.POST.getlist("symptoms"),
            "temperature": request.POST.get("temperature", ""),
            "errors": errors or {},
            "fever_threshold": observation.policy.fever_threshold,
            "panels": public_panels(
                request, PanelPlace(SELF_REPORT, observation.area, observation, token)
            ),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def self_report(request: HttpRequest, token: str) -> HttpResponse:
    try:
        observation = self_report_observation(token=token)
    except SelfReportLinkError as error:
        return _link_error(request, error)
    if request.method != "POST":
        return _form(request, observation, token)
    try:
        result = self_report_submit(
            token=token,
            temperature=request.POST.get("temperature", ""),
            symptoms=request.POST.getlist("symptoms"),
        )
    except SelfReportLinkError as error:
        return _link_error(request, error)
    except ValidationError as exc:
        return _form(request, observation, token, errors=exc.message_dict, status=400)
    report = result.report
    return render(
        request,
        "arrivals/public_report_done.html",
        {
            "report": report,
            "created": result.created,
            "day": observation.day_number(report.on),
            "days": observation.days,
            "fever": is_fever(observation, report.temperature),
            "symptoms": [_(SYMPTOMS[c]) for c in report.symptoms],
        },
    )
