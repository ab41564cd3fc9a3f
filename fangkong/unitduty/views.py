"""Units' duty pages: the units of my area with today's report, a unit's page (today's
report on a phone, its profile, dormitories, findings), the findings list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.core.errors import Conflict
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import Person
from fangkong.unitduty import services
from fangkong.unitduty.forms import (
    SICK_ROWS,
    DormitoryForm,
    FindingForm,
    InspectionForm,
    LetterForm,
    ProfileForm,
    ReportForm,
    RoomForm,
)
from fangkong.unitduty.models import ChiefSide, Dormitory, Finding, FindingStatus, UnitReport
from fangkong.unitduty.module import UnitDutyCapability
from fangkong.unitduty.rules import DormLimits, room_failures
from fangkong.unitduty.selectors import (
    OVERDUE,
    dormitories_of,
    findings_visible,
    letter_in_force,
    letters_to_renew,
    sick_with_fever,
    units_with_today,
    zero_infection,
)
from fangkong.units.models import Unit, UnitKind
from fangkong.units.services import unit_contact_set, unit_profile_update

# A sick row's service errors land on that row's fields.
_SICK_ALIASES = {
    f"sick.{i}.{part}": f"sick_{i}_{part}"
    for i in range(SICK_ROWS)
    for part in ("name", "symptoms", "since", "temperature", "person")
}


@capability_required(UnitDutyCapability.VIEW)
def units(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    rows = units_with_today(user, today)
    unreported = request.GET.get("unreported") == "1"
    if unreported:
        rows = rows.filter(reported=False)  # type: ignore[misc]
    if request.GET.get("renew") == "1":
        rows = rows.filter(pk__in=letters_to_renew(user, today).values("pk"))
    return render(
        request,
        "unitduty/units.html",
        {
            "units": rows,
            "today": today,
            "unreported": unreported,
            "fever": sick_with_fever(user, day=today) if request.GET.get("fever") else None,
        },
    )


def _unit(request: HttpRequest, pk: int) -> Unit:
    return get_visible_or_404(Unit.objects.select_related("area"), request.user, pk=pk)


@capability_required(UnitDutyCapability.VIEW)
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_unit(request, _unit(request, pk))


def _rooms(unit: Unit) -> list[tuple[Dormitory, list[tuple[Any, list[str]]]]]:
    try:
        limits: DormLimits | None = services.limits_on(timezone.localdate())
    except ValidationError:
        limits = None
    out = []
    for dorm in dormitories_of(unit):
        rooms = []
        for room in dorm.rooms.all():
            texts = []
            if limits is not None:
                codes = room_failures(
                    area_m2=room.area_m2,
                    occupants=room.occupants,
                    bunk_beds=room.bunk_beds,
                    underground=room.underground,
                    limits=limits,
                )
                texts = [services.failure_text(c, room, limits) for c in codes]
            rooms.append((room, texts))
        out.append((dorm, rooms))
    return out


def _render_unit(
    request: HttpRequest, unit: Unit, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    bound = bound or {}
    report = UnitReport.objects.filter(unit=unit, day=today).first()
    profile = ProfileForm(
        initial={
            "kind": unit.kind,
            "address": unit.address,
            "headcount": unit.headcount,
            "legal_representative": unit.legal_representative,
            "contact_username": unit.contact_account.username if unit.contact_account else "",
        },
        contact=not user.acts_for_units,
    )
    return render(
        request,
        "unitduty/unit.html",
        {
            "unit": unit,
            "today": today,
            "report": report,
            "recent": unit.daily_reports.exclude(day=today)[:7],
            "report_form": bound.get("report") or ReportForm(),
            "profile_form": bound.get("profile") or profile,
            "dormitory_form": bound.get("dormitory") or DormitoryForm(),
            "room_form": bound.get("room") or RoomForm(),
            "finding_form": bound.get("finding") or FindingForm(),
            "inspection_form": bound.get("inspection") or InspectionForm(kind=unit.kind),
            "letter_form": bound.get("letter") or LetterForm(),
            "letter": letter_in_force(unit, today),
            "chiefs": list(unit.building_chiefs.all()),
            "chief_sides": ChiefSide.choices,
            "commercial": unit.kind == UnitKind.COMMERCIAL_BUILDING,
            "zero_infection": zero_infection(unit, today),
            "dormitories": _rooms(unit),
            "findings": unit.findings.select_related("room")[:50],
            "can_report": user.can(UnitDutyCapability.REPORT),
            "can_inspect": user.can(UnitDutyCapability.INSPECT),
        },
        status=400 if bound else 200,
    )


def _sick(user: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for i, row in enumerate(rows):
        person_id = row.pop("person_id", None)
        row["person"] = None
        if person_id:
            try:
                row["person"] = get_visible_or_404(Person, user, pk=person_id)
            except Http404:
                raise ValidationError(
                    {f"sick.{i}.person": gettext("没有这个人员编号，或不在您的管辖范围内")}
                ) from None
    return rows


@require_POST
@capability_required(UnitDutyCapability.REPORT)
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _unit(request, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report = services.report_file(
                actor=user,
                unit=target,
                day=timezone.localdate(),
                values=form.counts(),
                sick=_sick(user, form.sick_rows()),
            )
        except ValidationError as exc:
            put_errors(form, exc, _SICK_ALIASES)
        except Conflict as exc:
            form.add_error(None, exc.reason)
        else:
            if hasattr(report, "finding"):
                messages.warning(request, gettext("已填报；在岗率超过上限，已列为整改事项"))
            else:
                messages.success(request, gettext("今日日报已填报"))
            return redirect("unitduty:unit", pk=target.pk)
    return _render_unit(request, target, {"report": form})


@require_POST
@capability_required(UnitDutyCapability.REPORT)
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _unit(request, pk)
    form = ProfileForm(request.POST, contact=not user.acts_for_units)
    if form.is_valid():
        values = dict(form.cleaned_data)
        username = values.pop("contact_username", None)
        try:
            with transaction.atomic():
                unit_profile_update(actor=user, unit=target, **values)
                if username is not None:
                    unit_contact_set(actor=user, unit=target, username=username)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, gettext("单位信息已保存"))
            return redirect("unitduty:unit", pk=target.pk)
    return _render_unit(request, target, {"profile": form})


@require_POST
@capability_required(UnitDutyCapability.REPORT)
def dormitory_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _unit(request, pk)
    form = DormitoryForm(request.POST)
    if form.is_valid():
        try:
            services.dormitory_create(actor=user, unit=target, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            return redirect("unitduty:unit", pk=target.pk)
    return _render_unit(request, target, {"dormitory": form})


def _dormitory(request: HttpRequest, pk: int) -> Dormitory:
    return get_visible_or_404(Dormitory.objects.select_related("unit"), request.user, pk=pk)


@require_POST
@capability_required(UnitDutyCapability.REPORT)
def room_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    dorm = _dormitory(request, pk)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            services.room_save(actor=user, dormitory=dorm, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            return redirect("unitduty:unit", pk=dorm.unit_id)
    return _render_unit(request, dorm.unit, {"room": form})


@require_POST
@capability_required(UnitDutyCapability.INSPECT)
def dormitory_check(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    dorm = _dormitory(request, pk)
    try:
        failing = services.dormitory_check(actor=user, dormitory=dorm, on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if failing:
            names = "、".join(room.name for room, _codes in failing)
            messages.warning(
                request, gettext("不达标的房间：%(rooms)s；已列为整改事项") % {"rooms": names}
            )
        else:
            messages.success(request, gettext("各房间均符合宿舍要求"))
    return redirect("unitduty:unit", pk=dorm.unit_id)


@require_POST
@capability_required(UnitDutyCapability.INSPECT)
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _unit(request, pk)
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_raise(actor=user, unit=target, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, gettext("整改事项已下达"))
            return redirect("unitduty:unit", pk=target.pk)
    return _render_unit(request, target, {"finding": form})


@capability_required(UnitDutyCapability.VIEW)
def findings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    status = request.GET.get("status", FindingStatus.OPEN)
    if status not in (*FindingStatus.values, OVERDUE):
        status = FindingStatus.OPEN
    return render(
        request,
        "unitduty/findings.html",
        {
            "findings": findings_visible(user, status=status, today=today)[:200],
            "status": status,
            "today": today,
            "can_inspect": user.can(UnitDutyCapability.INSPECT),
        },
    )


@require_POST
@capability_required(UnitDutyCapability.INSPECT)
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    finding = get_visible_or_404(Finding, user, pk=pk)
    try:
        services.finding_close(actor=user, finding=finding, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, gettext("整改事项已关闭"))
    return redirect("unitduty:findings")


@require_POST
@capability_required(UnitDutyCapability.INSPECT)
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _unit(request, pk)
    form = InspectionForm(request.POST, kind=target.kind)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(
                actor=user, unit=target, agency=data["agency"],
                failed={code: "" for code in data["failed"]}, deadline=data["deadline"],
                responsible=data["responsible"],
            )  # fmt: skip
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, gettext("检查已登记"))
            return redirect("unitduty:unit", pk=target.pk)
    return _render_unit(request, target, {"inspection": form})


@require_POST
@capability_required(UnitDutyCapability.REPORT)
def letter_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _unit(request, pk)
    form = LetterForm(request.POST)
    if form.is_valid():
        try:
            services.letter_record(actor=user, unit=target, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, gettext("责任书已登记"))
            return redirect("unitduty:unit", pk=target.pk)
    return _render_unit(request, target, {"letter": form})


@require_POST
@capability_required(UnitDutyCapability.REPORT)
def chief_set(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    target = _unit(request, pk)
    try:
        services.chief_set(
            actor=user,
            unit=target,
            side=request.POST.get("side", ""),
            name=request.POST.get("name", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("楼长已登记"))
    return redirect("unitduty:unit", pk=target.pk)
