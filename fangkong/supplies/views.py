"""Supplies pages: the stock of my area's stores, a store's ledger and its forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.core.errors import Conflict
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import Person
from fangkong.supplies import services
from fangkong.supplies.forms import FORMS, StoreForm
from fangkong.supplies.models import Item, Movement, Store
from fangkong.supplies.module import SuppliesCapability
from fangkong.supplies.selectors import stock_by_store, store_ledger


@capability_required(SuppliesCapability.VIEW)
def stock(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    low_only = request.GET.get("low") == "1"
    stores = stock_by_store(user)
    if low_only:
        stores = [s for s in stores if s.low]
    return _render_stock(request, stores, low_only, StoreForm(user=user))


def _render_stock(
    request: HttpRequest, stores: list[Any], low_only: bool, form: StoreForm
) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "supplies/stock.html",
        {
            "stores": stores,
            "low_only": low_only,
            "low_total": sum(s.low for s in stores),
            "form": form,
            "can_record": user.can(SuppliesCapability.RECORD),
            "items": Item.objects.all() if user.can(SuppliesCapability.ITEMS) else None,
        },
    )


@require_POST
@capability_required(SuppliesCapability.ITEMS)
def item_new(request: HttpRequest) -> HttpResponse:
    try:
        item = services.item_create(
            actor=request.user, name=request.POST.get("name", ""), unit=request.POST.get("unit", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, gettext("已新增物资 %(name)s") % {"name": item.name})
    return redirect(reverse("supplies:stock") + "#items")


@require_POST
@capability_required(SuppliesCapability.ITEMS)
def item_active(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=pk)
    services.item_set_active(
        actor=request.user, item=item, active=request.POST.get("active") == "1"
    )
    return redirect(reverse("supplies:stock") + "#items")


@require_POST
@capability_required(SuppliesCapability.RECORD)
def store_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = StoreForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            store = services.store_create(actor=user, area=data["area"], post=data["post"])
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, gettext("物资库已建立"))
            return redirect("supplies:store", pk=store.pk)
    return _render_stock(request, stock_by_store(user), False, form)


def _store(request: HttpRequest, pk: int) -> Store:
    return get_visible_or_404(Store.objects.select_related("area", "post"), request.user, pk=pk)


@capability_required(SuppliesCapability.VIEW)
def store_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_store(request, _store(request, pk))


def _render_store(
    request: HttpRequest, store: Store, bound: dict[str, forms.Form] | None = None
) -> HttpResponse:
    user: Any = request.user
    can_record = user.can(SuppliesCapability.RECORD)
    page = Paginator(store_ledger(store), 50).get_page(request.GET.get("page"))
    forms_ = {}
    if can_record:
        forms_ = {kind: cls(user=user, store=store) for kind, cls in FORMS.items()}  # type: ignore[call-arg]
        forms_.update(bound or {})
    levels = list(store.levels.select_related("item").order_by("item__order", "item__name"))
    return render(
        request,
        "supplies/store.html",
        {
            "store": store,
            "levels": levels,
            "page": page,
            "forms": forms_,
            "open_form": next(iter(bound), "") if bound else "",
            "can_record": can_record,
        },
        status=400 if bound else 200,
    )


def _record(user: Any, store: Store, kind: str, data: dict[str, Any]) -> None:
    note = data.get("note") or ""
    if kind == "receipt":
        services.receipt_record(
            actor=user,
            store=store,
            item=data["item"],
            quantity=data["quantity"],
            source=data["source"],
            donor=data["donor"],
            note=note,
        )
    elif kind == "handout":
        person = None
        if data["to_person"]:
            person = get_visible_or_404(Person, user, pk=data["to_person"])
        services.handout_record(
            actor=user,
            store=store,
            item=data["item"],
            quantity=data["quantity"],
            to_post=data["to_post"],
            to_person=person,
            to_account=data["to_account"],
            note=note,
        )
    elif kind == "transfer":
        services.transfer_record(
            actor=user,
            store=store,
            to_store=data["to_store"],
            item=data["item"],
            quantity=data["quantity"],
            note=note,
        )
    elif kind == "count":
        services.count_record(
            actor=user, store=store, item=data["item"], counted=data["counted"], note=note
        )
    else:
        services.minimum_set(actor=user, store=store, item=data["item"], minimum=data["minimum"])


@require_POST
@capability_required(SuppliesCapability.RECORD)
def store_movement(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user: Any = request.user
    store = _store(request, pk)
    if kind not in FORMS:
        raise Http404
    form = FORMS[kind](request.POST, user=user, store=store)  # type: ignore[call-arg]
    if form.is_valid():
        try:
            _record(user, store, kind, form.cleaned_data)
        except Http404:
            form.add_error("to_person", gettext("没有这个人员编号，或不在您的管辖范围内"))
        except ValidationError as exc:
            put_errors(form, exc)
        except Conflict as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            messages.success(request, gettext("已登记"))
            return redirect("supplies:store", pk=store.pk)
    return _render_store(request, store, {kind: form})


@require_POST
@capability_required(SuppliesCapability.RECORD)
def movement_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    movement = get_visible_or_404(Movement.objects.select_related("store"), user, pk=pk)
    try:
        services.movement_reverse(actor=user, movement=movement, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, gettext("已冲销"))
    return redirect("supplies:store", pk=movement.store_id)
