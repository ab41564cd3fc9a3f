"""Rounds pages: today's due and overdue rounds with a "done" button each (the phone page),
the plans and places of an area, the forms to add them, and a place's history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.errors import Conflict
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.rounds import services
from fangkong.rounds.forms import PlaceForm, PlanForm
from fangkong.rounds.models import Place, Plan
from fangkong.rounds.module import RoundsCapability
from fangkong.rounds.selectors import (
    places_list,
    plans_list,
    records_list,
    rounds_due,
)

TABS = ("due", "overdue", "plans", "places")


def _area(request: HttpRequest) -> Area | None:
    code = request.GET.get("area", "").strip()
    return area_visible_by_code(user=request.user, code=code) if code else None


@capability_required(RoundsCapability.VIEW)
def rounds_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    area = _area(request)
    tab = request.GET.get("tab", "due")
    tab = tab if tab in TABS else "due"
    due = rounds_due(user=user, area=area)
    overdue = [d for d in due if d.overdue]
    today = timezone.localdate()
    context: dict[str, Any] = {
        "area": area,
        "tab": tab,
        "due": overdue if tab == "overdue" else due,
        "counts": {"due": len(due), "overdue": len(overdue)},
        "done_today": records_list(user=user, area=area, on=today).count(),
        "can_record": user.can(RoundsCapability.RECORD),
        "can_plan": user.can(RoundsCapability.PLAN),
        "query": f"area={area.code}&" if area else "",
    }
    if tab == "plans":
        plans = list(
            plans_list(user=user, area=area).order_by(
                "place__area__path", "place__building", "place__name", "kind"
            )
        )
        for plan in plans:
            plan.in_force = plan.active_on(today)  # type: ignore[attr-defined]
        context["plans"] = plans
    elif tab == "places":
        context["places"] = Paginator(places_list(user=user, area=area), 100).get_page(
            request.GET.get("page")
        )
    return render(request, "rounds/list.html", context)


@capability_required(RoundsCapability.PLAN)
def place_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PlaceForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            place = services.place_create(
                actor=user,
                area=data["area"],
                kind=data["kind"],
                building=data["building"],
                name=data["name"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        except Conflict as exc:
            form.add_error(exc.field, exc.reason)
        else:
            messages.success(request, gettext("已添加点位 %(place)s") % {"place": place})
            return redirect(reverse("rounds:plan-new") + f"?place={place.pk}")
    return render(request, "rounds/place_form.html", {"form": form})


@capability_required(RoundsCapability.PLAN)
def plan_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    initial = {"place": request.GET.get("place"), "active_from": timezone.localdate()}
    form = PlanForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=user,
                place=data["place"],
                kind=data["kind"],
                every_hours=data["every_hours"],
                times_a_day=data["times_a_day"],
                agent=data["agent"],
                concentration=data["concentration"],
                active_from=data["active_from"],
                active_until=data["active_until"],
            )
        except ValidationError as exc:
            put_errors(form, exc)
        except Conflict as exc:
            form.add_error(exc.field, exc.reason)
        else:
            messages.success(request, gettext("已添加计划：%(plan)s") % {"plan": plan})
            return redirect("rounds:place", pk=plan.place_id)
    return render(request, "rounds/plan_form.html", {"form": form})


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_POST
@capability_required(RoundsCapability.RECORD)
def round_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The one tap: the round of this plan is done now, by me, with an optional note."""
    user: Any = request.user
    plan = get_visible_or_404(Plan.objects.select_related("place"), user, pk=pk)
    try:
        services.record_round(actor=user, plan=plan, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("已记录：%(plan)s") % {"plan": plan})
    return redirect(_back(request, reverse("rounds:list")))


@require_POST
@capability_required(RoundsCapability.PLAN)
def plan_end(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    plan = get_visible_or_404(Plan.objects.select_related("place"), user, pk=pk)
    try:
        services.plan_end(actor=user, plan=plan)
    except Conflict as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, gettext("计划已结束：%(plan)s") % {"plan": plan})
    return redirect("rounds:place", pk=plan.place_id)


@capability_required(RoundsCapability.VIEW)
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    place = get_visible_or_404(Place.objects.select_related("area", "unit"), user, pk=pk)
    records = Paginator(records_list(user=user, place=place), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    due = {d.plan.pk: d for d in rounds_due(user=user, place=place)}
    plans = list(plans_list(user=user, place=place).order_by("-active_from"))
    for plan in plans:
        plan.in_force = plan.active_on(today)  # type: ignore[attr-defined]
        plan.due = due.get(plan.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "rounds/place.html",
        {
            "place": place,
            "plans": plans,
            "page": records,
            "today": today,
            "can_record": user.can(RoundsCapability.RECORD),
            "can_plan": user.can(RoundsCapability.PLAN),
        },
    )
