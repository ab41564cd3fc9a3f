"""Worker pages for the place a notice names: the inspection by a joint team, the signed
responsibility letter and the spot checks it schedules, the record of one spot check, and
printable responsibility letters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.arrivals.inspections.forms import InspectionForm, LetterForm, SpotCheckForm
from fangkong.arrivals.inspections.selectors import letters_for_print
from fangkong.arrivals.inspections.services import (
    HOME_TEAM_ROLES,
    JOINT_TEAM_ROLES,
    inspection_record,
    letter_sign,
    spot_check_record,
    spot_checks_schedule,
)
from fangkong.arrivals.models import ArrivalNotice, NoticeStatus, ObservationMode, SpotCheck
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.notices.selectors import notice_reference
from fangkong.core.forms import field_errors, put_errors
from fangkong.core.ids import parse_id
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required


def _team_rows(data: Any, kind: str) -> list[dict[str, Any]]:
    if data:
        indices = sorted(
            {
                int(k.split("-")[1])
                for k in data
                if k.startswith("team-") and k.split("-")[1].isdecimal()
            }
        )
        return [
            {
                "name": data.get(f"team-{i}-name", "").strip(),
                "role": data.get(f"team-{i}-role", "").strip(),
            }
            for i in indices
        ]
    roles = JOINT_TEAM_ROLES if kind == ObservationMode.UNIT else HOME_TEAM_ROLES
    return [{"name": "", "role": role} for role in roles]


@capability_required(ArrivalsCapability.INSPECT)
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(
        ArrivalNotice.objects.select_related("area", "address", "unit"), user, pk=pk
    )
    kind = notice.mode
    form = InspectionForm(
        request.POST or None, kind=kind, initial={"inspected_on": timezone.localdate()}
    )
    team = _team_rows(request.POST, kind)
    team_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Rows without a name and role are blank lines, not members.
        members = [(r["name"], r["role"]) for r in team if r["name"] or r["role"]]
        team = [r for r in team if r["name"] or r["role"]]
        try:
            inspection = inspection_record(
                actor=user,
                notice=notice,
                kind=kind,
                checklist={code: data[f"item_{code}"] for code in form.items},
                team=members,
                inspected_on=data["inspected_on"],
                reasons=data["reasons"],
            )
        except ValidationError as exc:
            errors = field_errors(exc)
            team_errors = {k: v for k, v in errors.items() if k.startswith("team")}
            others = {k: v for k, v in errors.items() if not k.startswith("team")}
            put_errors(
                form,
                ValidationError(others),
                {"status": "__all__", "kind": "__all__"},
            )
        else:
            messages.success(
                request, _("核查结论：%(result)s") % {"result": inspection.get_result_display()}
            )
            return redirect("arrivals:notice", pk=pk)
    team.extend({"name": "", "role": ""} for _ in range(2))
    return render(
        request,
        "arrivals/inspection_form.html",
        {
            "form": form,
            "notice": notice,
            "reference": notice_reference(notice),
            "team": [{"i": i, **row} for i, row in enumerate(team)],
            "team_errors": [m for ms in team_errors.values() for m in ms],
            "roles": (*JOINT_TEAM_ROLES, "医务人员", "下沉干部", "房东"),
        },
        status=400 if request.method == "POST" else 200,
    )


@capability_required(ArrivalsCapability.CHANGE)
def letter_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice.objects.select_related("area", "unit"), user, pk=pk)
    form = LetterForm(request.POST or None, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter_sign(
                actor=user,
                notice=notice,
                signed_on=data["signed_on"],
                unit_signatory=data["unit_signatory"],
                community_signatory=data["community_signatory"],
            )
        except ValidationError as exc:
            put_errors(
                form,
                exc,
                {"status": "__all__", "notice": "__all__", "unit": "__all__"},
            )
        else:
            messages.success(request, _("已记录责任书"))
            notice.refresh_from_db(fields=["status"])
            if data.get("spot_checks") and notice.status == NoticeStatus.READY:
                _schedule(request, notice, data["spot_checks"])
            elif data.get("spot_checks"):
                messages.info(request, _("场所核查通过后，再在本页安排不定期抽查"))
            return redirect("arrivals:notice", pk=pk)
    return render(
        request,
        "arrivals/letter_form.html",
        {"form": form, "notice": notice, "reference": notice_reference(notice)},
        status=400 if request.method == "POST" else 200,
    )


def _schedule(request: HttpRequest, notice: ArrivalNotice, count: int) -> None:
    try:
        user: Any = request.user
        checks = spot_checks_schedule(notice=notice, count=count, actor=user)
    except ValidationError as exc:
        messages.error(request, _("抽查未安排：%(why)s") % {"why": "；".join(exc.messages)})
    else:
        messages.success(request, _("已安排 %(n)d 次不定期抽查") % {"n": len(checks)})


@require_POST
@capability_required(ArrivalsCapability.CHANGE)
def spot_checks_plan(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_or_404(ArrivalNotice, request.user, pk=pk)
    raw = request.POST.get("count", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 3):
        messages.error(request, _("抽查次数应为数字"))
    else:
        _schedule(request, notice, int(raw))
    return redirect("arrivals:notice", pk=pk)


@capability_required(ArrivalsCapability.INSPECT)
def record_spot_check(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    check = get_visible_or_404(
        SpotCheck.objects.select_related("notice__unit", "notice__area"), user, pk=pk
    )
    form = SpotCheckForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            spot_check_record(
                actor=user,
                check=check,
                done_on=data["done_on"],
                result=data["result"],
                findings=data["findings"],
            )
        except ValidationError as exc:
            put_errors(form, exc, {"check": "__all__"})
        else:
            messages.success(request, _("已记录抽查结果"))
            return redirect("arrivals:notice", pk=check.notice_id)
    return render(
        request,
        "arrivals/inspection_spot_check.html",
        {"form": form, "check": check, "notice": check.notice},
        status=400 if request.method == "POST" else 200,
    )


# --- printing ------------------------------------------------------------------------------


def _ids(request: HttpRequest) -> list[int]:
    raw = ",".join(request.GET.getlist("ids"))
    parts = map(parse_id, raw.replace("，", ",").split(","))
    return [i for i in parts if i is not None]


@capability_required(ArrivalsCapability.VIEW)
def letters_print(request: HttpRequest) -> HttpResponse:
    """《疫情防控责任书》 for one or many unit notices, one A4 page each."""
    ids = _ids(request)
    sheets = letters_for_print(user=request.user, ids=ids)
    return render(
        request,
        "arrivals/letter_print.html",
        {"sheets": sheets, "asked": len(ids), "skipped": len(set(ids)) - len(sheets)},
    )
