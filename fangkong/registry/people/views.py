"""People and household pages, and the people export."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from fangkong.areas.selectors import living_areas_visible_to
from fangkong.core.crypto import decrypt
from fangkong.core.errors import Conflict
from fangkong.core.identity import normalize_phone
from fangkong.core.ids import parse_id
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import (
    Address,
    DocumentType,
    Person,
    ResidenceKind,
    ScreeningRound,
    Whereabouts,
)
from fangkong.registry.module import RegistryCapability
from fangkong.registry.people import selectors, services
from fangkong.registry.people.cleaning import PERSON_FIELDS
from fangkong.registry.people.exports import export_filters, people_export_response
from fangkong.registry.people.forms import PersonForm


def _number_search(request: HttpRequest, number: str) -> Any:
    """One box for a phone or a document number: a phone if it reads as one, otherwise an
    exact document search (audited, whatever it finds)."""
    try:
        normalize_phone(number)
    except ValidationError:
        kind = request.GET.get("document_type") or DocumentType.RESIDENT_ID
        return services.people_find_by_document(
            actor=request.user, document_type=kind, number=number, request=request
        )
    return selectors.people_find_by_phone(actor=request.user, phone=number)


@capability_required(RegistryCapability.VIEW)
def people_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    params = request.GET
    areas = living_areas_visible_to(user)
    area = areas.filter(code=params.get("area")).first() if params.get("area") else None
    number = params.get("number", "").strip()
    if number:
        people = _number_search(request, number).select_related("area")
    else:
        round_id = params.get("round", "")
        people = selectors.people_list(
            user=user,
            filters=selectors.PeopleFilter(
                area=area,
                whereabouts=params.get("whereabouts", ""),
                residence_kind=params.get("residence_kind", ""),
                round_id=parse_id(round_id),
                name=params.get("q", "").strip(),
            ),
        )
    page = Paginator(people.order_by("area__path", "name", "id"), 50).get_page(params.get("page"))
    return render(
        request,
        "registry/people_list.html",
        {
            "page": page,
            "areas": areas,
            "area": area,
            "params": params,
            "number": number,
            "whereabouts_choices": Whereabouts.choices,
            "kind_choices": ResidenceKind.choices,
            "rounds": ScreeningRound.objects.visible_to(user)[:20],
            "document_types": DocumentType.choices,
            "export_query": params.urlencode(),
            "can_change": user.can(RegistryCapability.CHANGE),
            "can_export": user.can(RegistryCapability.EXPORT),
        },
    )


@capability_required(RegistryCapability.VIEW)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(
        Person.objects.select_related("area", "employer", "merged_into"), request.user, pk=pk
    )
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            **selectors.person_timeline(person=person),
            "can_change": request.user.can(RegistryCapability.CHANGE),  # type: ignore[union-attr]
            "can_reveal": request.user.can(RegistryCapability.REVEAL),  # type: ignore[union-attr]
        },
    )


@require_POST
@capability_required(RegistryCapability.REVEAL)
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: swap the masked values for the full ones, and write that to the audit log."""
    person = get_visible_or_404(Person, request.user, pk=pk)
    full = services.person_reveal(actor=request.user, person=person, request=request)
    return render(request, "registry/_person_full.html", {"person": person, "full": full})


def _form_data(form: PersonForm) -> dict[str, Any]:
    return {k: form.cleaned_data.get(k) for k in PERSON_FIELDS if k in form.cleaned_data}


@capability_required(RegistryCapability.CHANGE)
def person_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PersonForm(request.POST or None, user=user, initial={"area": request.GET.get("area")})
    existing, elsewhere = None, False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            landlord = None
            if data["landlord_document"]:
                landlord = services.people_find_by_document(
                    actor=user,
                    document_type=DocumentType.RESIDENT_ID,
                    number=data["landlord_document"],
                    request=request,
                ).first()
                if landlord is None:
                    raise ValidationError(
                        {"landlord": gettext("房东尚未登记或不在您的辖区，请先登记房东")}
                    )
            person = services.person_enrol(
                actor=user,
                area=data["area"],
                data=_form_data(form),
                landlord=landlord,
                require_document=False,
                home={
                    "building": data["building"],
                    "entrance": data["entrance"],
                    "room": data["room"],
                    "kind": data["residence_kind"],
                    "since": data["since"],
                },
            )
        except ValidationError as exc:
            form.add_domain_errors(exc)
        except Conflict as exc:
            existing = Person.objects.visible_to(user).filter(pk=exc.extra["id"]).first()
            form.add_error(
                "document_number",
                exc.reason if existing else gettext("该证件号码已在其他辖区登记，请联系该辖区核实"),
            )
            elsewhere = existing is None
        else:
            messages.success(request, gettext("已登记 %(name)s") % {"name": person.name})
            return redirect("registry:person", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "existing": existing, "elsewhere": elsewhere, "title": gettext("登记人员")},
    )


@capability_required(RegistryCapability.CHANGE)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    person = get_visible_or_404(Person.objects.active(), user, pk=pk)
    initial = {
        k: getattr(person, k) for k in PERSON_FIELDS if k not in ("document_number", "phone")
    }
    initial["area"] = person.area.code
    initial["phone"] = decrypt(person.phone_cipher) if person.phone_cipher else ""
    form = PersonForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        if not data.get("document_number"):
            data.pop("document_number", None)
        try:
            services.person_update(
                actor=user, person=person, data=data, area=form.cleaned_data["area"]
            )
        except ValidationError as exc:
            form.add_domain_errors(exc)
        except Conflict as exc:
            form.add_error("document_number", exc.reason)
        else:
            messages.success(request, gettext("已保存"))
            return redirect("registry:person", pk=person.pk)
    return render(
        request,
        "registry/person_form.html",
        {"form": form, "person": person, "title": gettext("修改 %(name)s") % {"name": person.name}},
    )


@capability_required(RegistryCapability.EXPORT)
@require_GET
def people_export(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    full = request.GET.get("full") == "1"
    if full and not user.can(RegistryCapability.REVEAL):
        raise PermissionDenied
    try:
        filters = export_filters(user=user, params=request.GET)
        response = people_export_response(user=user, filters=filters, full=full, request=request)
        # A streamed response; the page decorators are typed for plain ones.
        return cast(HttpResponse, response)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        query = request.GET.copy()
        query.pop("full", None)
        return redirect(f"{reverse('registry:people')}?{query.urlencode()}")


@capability_required(RegistryCapability.VIEW)
def duplicates(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registry/duplicates.html",
        {
            "groups": selectors.duplicate_groups(user=request.user),
            "can_change": request.user.can(RegistryCapability.CHANGE),  # type: ignore[union-attr]
        },
    )


@require_POST
@capability_required(RegistryCapability.CHANGE)
def person_merge(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    keep = get_visible_or_404(Person.objects.active(), user, pk=request.POST.get("keep"))
    duplicate = get_visible_or_404(Person.objects.active(), user, pk=request.POST.get("duplicate"))
    try:
        with transaction.atomic():
            services.person_merge(actor=user, keep=keep, duplicate=duplicate)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("registry:duplicates")
    messages.success(
        request,
        gettext("已把 #%(duplicate)s 合并到 %(name)s（#%(pk)s），相关记录都已转过来")
        % {"duplicate": duplicate.pk, "name": keep.name, "pk": keep.pk},
    )
    return redirect("registry:person", pk=keep.pk)


@capability_required(RegistryCapability.VIEW)
def household_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    areas = living_areas_visible_to(user)
    area = areas.filter(code=request.GET.get("area")).first() if request.GET.get("area") else None
    qs = selectors.households(user=user, area=area)
    if building := request.GET.get("building", "").strip():
        qs = qs.filter(building__contains=building)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/household_list.html",
        {"page": page, "areas": areas, "area": area, "params": request.GET},
    )


@capability_required(RegistryCapability.VIEW)
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    address = get_visible_or_404(Address.objects.select_related("area"), request.user, pk=pk)
    return render(
        request,
        "registry/household_detail.html",
        {
            "address": address,
            "residents": selectors.household_residents(address=address),
            "past": address.residences.filter(until__isnull=False).select_related("person"),
            "can_change": request.user.can(RegistryCapability.CHANGE),  # type: ignore[union-attr]
        },
    )
