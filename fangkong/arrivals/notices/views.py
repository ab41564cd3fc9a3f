"""Worker pages for advance notices: the list (pending confirmation first), a notice with
its decision, inspections, letter and spot checks, the forms that file, confirm, reject and
reschedule it, unannounced arrivals, and the community's public link with its QR."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.areas.selectors import living_areas_visible_to
from fangkong.arrivals.inspections.selectors import checklist_rows
from fangkong.arrivals.models import (
    ArrivalNotice,
    FiledBy,
    NoticeStatus,
    ObservationMode,
)
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.arrivals.notices.forms import (
    PERSON_FIELDS,
    NewUnitFields,
    RescheduleForm,
    UnannouncedForm,
    WorkerNoticeForm,
    people_rows,
    read_people,
)
from fangkong.arrivals.notices.public import LIMIT_PER_AREA, LIMIT_PER_IP
from fangkong.arrivals.notices.rules import NOT_COUNTED, OPEN_STATUSES, observation_window
from fangkong.arrivals.notices.selectors import (
    OVERDUE,
    notice_landlords,
    notice_link_areas,
    notice_link_token,
    notice_next_step,
    notice_people,
    notice_reference,
    notice_status_counts,
    notices_for,
    notices_overdue,
    unit_choices,
)
from fangkong.arrivals.notices.services import (
    notice_confirm,
    notice_file,
    notice_reject,
    notice_reschedule,
    unannounced_register,
    unit_for_notice,
)
from fangkong.arrivals.notices.sources import ArrivalSource, arrival_sources
from fangkong.audit.services import audit_view_record
from fangkong.core.forms import field_errors, put_errors
from fangkong.core.ids import parse_id
from fangkong.core.qr import qr_svg
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import DocumentType, Person
from fangkong.registry.people.services import people_find_by_document
from fangkong.units.models import Unit
from fangkong.units.selectors import units_for_area


def _own_area(request: HttpRequest) -> str | None:
    """The area a form starts with: ?area=, else the worker's own community or zone."""
    user: Any = request.user
    if request.GET.get("area"):
        return request.GET["area"]
    area = getattr(user, "area", None)
    return area.code if area is not None and area.kind in LIVING_KINDS else None


def _unit_from(form: forms.Form, user: Any, area: Area | None) -> Unit | None:
    """The chosen unit, or one registered now from the new-unit fields."""
    data = form.cleaned_data
    if data.get("unit") is not None:
        unit: Unit = data["unit"]
        return unit
    if data.get("unit_name") and area is not None:
        return unit_for_notice(
            actor=user,
            area=area,
            name=data["unit_name"],
            contact_name=data.get("unit_contact_name", ""),
            contact_phone=data.get("unit_contact_phone", ""),
        )
    return None


# --- list and detail ---------------------------------------------------------------------


@capability_required(ArrivalsCapability.VIEW)
def notice_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    params = request.GET
    status = params.get("status", "")
    if status not in NoticeStatus.values and status != OVERDUE:
        status = ""
    qs = notices_for(user=user, status=status, q=params.get("q", ""))
    page = Paginator(qs, 50).get_page(params.get("page"))
    counts = notice_status_counts(user=user)
    overdue = notices_overdue(user=user).count()
    return render(
        request,
        "arrivals/notice_list.html",
        {
            "page": page,
            "status": status,
            "params": params,
            "tabs": [
                *((v, label, counts[v]) for v, label in NoticeStatus.choices if counts[v]),
                *([(OVERDUE, _("逾期未到京"), overdue)] if overdue else []),
            ],
            "total": sum(counts.values()),
            "can_change": user.can(ArrivalsCapability.CHANGE),
            "unit_mode": ObservationMode.UNIT,
        },
    )


def _detail_context(request: HttpRequest, notice: ArrivalNotice) -> dict[str, Any]:
    user: Any = request.user
    inspections = list(notice.inspections.prefetch_related("team").select_related("inspector"))
    status = notice.status
    has_letter = hasattr(notice, "letter")
    can_change = user.can(ArrivalsCapability.CHANGE)
    can_inspect = user.can(ArrivalsCapability.INSPECT)
    is_unit = notice.mode == ObservationMode.UNIT
    return {
        "notice": notice,
        "reference": notice_reference(notice),
        "next_step": notice_next_step(notice),
        "people": notice_people(notice=notice, user=user),
        "landlords": notice_landlords(notice=notice, user=user),
        "inspections": [(i, checklist_rows(i)) for i in inspections],
        "letter": notice.letter if has_letter else None,
        "spot_checks": list(notice.spot_checks.select_related("checked_by")),
        "window": observation_window(notice) if notice.observation_days else None,
        "can_confirm": can_change and status == NoticeStatus.PENDING,
        "can_inspect": can_inspect
        and status in (NoticeStatus.INSPECTION, NoticeStatus.FAILED)
        and notice.mode != ObservationMode.SITE,
        "can_sign": can_change and is_unit and status == NoticeStatus.INSPECTION and not has_letter,
        "can_print": is_unit
        and notice.unit_id is not None
        and status not in (*NOT_COUNTED, NoticeStatus.MUST_DELAY),
        "can_schedule": can_change
        and is_unit
        and status in (NoticeStatus.READY, NoticeStatus.ARRIVED),
        "can_record_check": can_inspect,
        "can_reschedule": can_change and status in (*OPEN_STATUSES, NoticeStatus.READY),
        "can_arrive": can_change
        and (
            status == NoticeStatus.READY
            or (notice.unannounced and status == NoticeStatus.INSPECTION)
        ),
        "needs_unit": is_unit and notice.unit_id is None,
        "units": units_for_area(area=notice.area),
        "unit_form": NewUnitFields(),
    }


@capability_required(ArrivalsCapability.VIEW)
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_visible_or_404(
        ArrivalNotice.objects.select_related("area", "unit", "policy", "address", "confirmed_by"),
        request.user,
        pk=pk,
    )
    return render(request, "arrivals/notice_detail.html", _detail_context(request, notice))


# --- filing, confirming, rejecting, rescheduling -------------------------------------------


@capability_required(ArrivalsCapability.CHANGE)
def notice_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = WorkerNoticeForm(
        request.POST or None,
        areas=living_areas_visible_to(user),
        units=unit_choices(user=user),
        initial={"filed_by": FiledBy.WORKER, "area": _own_area(request)},
    )
    rows = read_people(request.POST) if request.method == "POST" else []
    error: ValidationError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_file(
                actor=user,
                area=data["area"],
                filed_by=data["filed_by"],
                filer_name=data["filer_name"],
                filer_phone=data["filer_phone"],
                origin_code=data["origin_code"],
                origin_name=data["origin_name"],
                planned_on=data["planned_on"],
                mode=data["mode"],
                people=rows,
                building=data["building"],
                entrance=data["entrance"],
                room=data["room"],
                unit=_unit_from(form, user, data["area"])
                if data["mode"] == ObservationMode.UNIT
                else data["unit"],
                note=data["note"],
            )
        except ValidationError as exc:
            error = exc
            put_errors(form, exc, skip=("people.",))
        else:
            messages.success(
                request, _("已报备：%(status)s") % {"status": notice.get_status_display()}
            )
            return redirect("arrivals:notice", pk=notice.pk)
    return render(
        request,
        "arrivals/notice_form.html",
        {
            "form": form,
            "people": people_rows(rows, error),
            "people_error": field_errors(error).get("people"),
            "document_types": DocumentType.choices,
        },
        status=400 if request.method == "POST" else 200,
    )


def _back_with_errors(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


@require_POST
@capability_required(ArrivalsCapability.CHANGE)
def confirm_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice.objects.select_related("area"), user, pk=pk)
    form = NewUnitFields(request.POST)
    form.is_valid()
    try:
        unit = None
        if request.POST.get("unit"):
            unit = get_visible_or_404(Unit, user, pk=request.POST["unit"])
        elif form.cleaned_data.get("unit_name"):
            unit = _unit_from(form, user, notice.area)
        notice = notice_confirm(actor=user, notice=notice, unit=unit)
    except ValidationError as exc:
        _back_with_errors(request, exc)
    else:
        messages.success(request, _("已确认：%(status)s") % {"status": notice.get_status_display()})
    return redirect("arrivals:notice", pk=pk)


@require_POST
@capability_required(ArrivalsCapability.CHANGE)
def reject_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice, user, pk=pk)
    try:
        notice_reject(actor=user, notice=notice, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _back_with_errors(request, exc)
    else:
        messages.success(request, _("已标记为不予采信"))
    return redirect("arrivals:notice", pk=pk)


@capability_required(ArrivalsCapability.CHANGE)
def reschedule_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    notice = get_visible_or_404(ArrivalNotice.objects.select_related("area"), user, pk=pk)
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice_reschedule(actor=user, notice=notice, **form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc, skip=("people.",))
        else:
            messages.success(request, _("已修改"))
            return redirect("arrivals:notice", pk=pk)
    return render(
        request,
        "arrivals/notice_reschedule.html",
        {"form": form, "notice": notice, "reference": notice_reference(notice)},
    )


# --- unannounced arrivals -------------------------------------------------------------------


def _landlord(request: HttpRequest, number: str) -> Person | None:
    """The landlord by document number, within the worker's area (audited search)."""
    if not number:
        return None
    landlord = people_find_by_document(
        actor=request.user,
        document_type=DocumentType.RESIDENT_ID,
        number=number,
        request=request,
    ).first()
    if landlord is None:
        raise ValidationError({"landlord_document": _("房东尚未登记或不在您的辖区，请先登记房东")})
    return landlord


def _source(request: HttpRequest) -> tuple[ArrivalSource, Any] | None:
    """What the form was opened from (?referral= from a gate referral, …), if anything:
    the source and its object, which the user must be able to see (else 404)."""
    for source in arrival_sources():
        raw = request.GET.get(source.param, "")
        if not raw:
            continue
        pk = parse_id(raw)
        found = source.load(request.user, pk) if pk is not None else None
        if found is None:
            raise Http404
        return source, found
    return None


@capability_required(ArrivalsCapability.CHANGE)
def unannounced_new(request: HttpRequest) -> HttpResponse:
    """一步登记: a returnee stopped at a gate without notice or pass; opened from a gate
    referral (an arrival source), the form starts with what the referral knows and
    registering handles it."""
    user: Any = request.user
    opened_from = _source(request)
    initial: dict[str, Any] = {"arrived_on": timezone.localdate(), "area": _own_area(request)}
    if opened_from is not None and request.method != "POST":
        source, found = opened_from
        initial |= source.initial(found)
        shown = source.shown_person(found)
        if shown is not None:  # their document and phone are shown in full
            audit_view_record(actor=user, obj=shown, request=request, detail=source.audit_detail)
    form = UnannouncedForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            landlord = _landlord(request, data["landlord_document"].strip())
            registration: dict[str, Any] = {
                "area": data["area"],
                "person_data": {k: data[k] for k in PERSON_FIELDS},
                "origin_code": data["origin_code"],
                "origin_name": data["origin_name"],
                "arrived_on": data["arrived_on"],
                "building": data["building"],
                "entrance": data["entrance"],
                "room": data["room"],
                "landlord": landlord,
                "mode": data["mode"],
                "unit": _unit_from(form, user, data["area"]),
                "residence_kind": data["residence_kind"],
                "note": data["note"],
            }
            if opened_from is None:
                notice = unannounced_register(actor=user, **registration)
            else:
                source, found = opened_from
                notice = source.register(actor=user, source=found, **registration)
        except ValidationError as exc:
            aliases = {f"person.{k}": k for k in PERSON_FIELDS} | {"landlord": "landlord_document"}
            put_errors(form, exc, aliases, skip=("people.",))
        else:
            messages.success(
                request, _("已登记：%(status)s") % {"status": notice.get_status_display()}
            )
            return redirect("arrivals:notice", pk=notice.pk)
    return render(
        request,
        "arrivals/unannounced_form.html",
        {"form": form, "banner": opened_from[0].banner(opened_from[1]) if opened_from else ""},
        status=400 if request.method == "POST" else 200,
    )


# --- the public link ------------------------------------------------------------------------


@capability_required(ArrivalsCapability.VIEW)
def notice_link(request: HttpRequest) -> HttpResponse:
    """The community's public notice link and its QR code, to send or print and post."""
    areas = notice_link_areas(user=request.user)
    chosen = next((a for a in areas if a.code == request.GET.get("area")), None)
    area = chosen or (areas[0] if areas else None)
    url = qr = ""
    if area is not None:
        token = notice_link_token(area)
        url = request.build_absolute_uri(reverse("public:notice", args=[token]))
        qr = qr_svg(url, scale=6)
    return render(
        request,
        "arrivals/notice_link.html",
        {
            "areas": areas,
            "area": area,
            "url": url,
            "qr": qr,
            "per_ip": LIMIT_PER_IP,
            "per_area": LIMIT_PER_AREA,
        },
    )
