"""Screening round pages (摸排): the list, a new round, a round's progress and households,
the visit form for one household, and what changed since the previous round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.areas.selectors import area_visible_by_code
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.models import FindingStatus, ScreeningRound
from fangkong.registry.module import RegistryCapability
from fangkong.registry.screening.forms import RoundForm, VisitForm
from fangkong.registry.screening.selectors import (
    HouseholdMember,
    round_addresses,
    round_buildings,
    round_changes,
    round_progress,
    rounds_visible,
    visit_household,
)
from fangkong.registry.screening.services import Finding, round_create, visit_record


def _get_round(request: HttpRequest, pk: int) -> ScreeningRound:
    return get_visible_or_404(ScreeningRound.objects.select_related("area"), request.user, pk=pk)


def _can_change(request: HttpRequest) -> bool:
    return bool(request.user.can(RegistryCapability.CHANGE))  # type: ignore[union-attr]


@capability_required(RegistryCapability.VIEW)
def round_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(rounds_visible(user=request.user), 30).get_page(request.GET.get("page"))
    return render(
        request, "registry/rounds.html", {"page": page, "can_change": _can_change(request)}
    )


@capability_required(RegistryCapability.CHANGE)
def round_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RoundForm(request.POST, user=request.user)
        if form.is_valid():
            values = form.cleaned_data
            try:
                screening_round = round_create(
                    actor=request.user,
                    area=area_visible_by_code(user=request.user, code=values["area"]),
                    name=values["name"],
                    starts_on=values["starts_on"],
                    ends_on=values["ends_on"],
                )
            except ValidationError as exc:
                put_errors(form, exc)
            else:
                messages.success(
                    request, gettext("已新建摸排“%(name)s”") % {"name": screening_round.name}
                )
                return redirect("registry:round-detail", pk=screening_round.pk)
    else:
        today = timezone.localdate()
        form = RoundForm(
            user=request.user,
            initial={"starts_on": today, "ends_on": today + dt.timedelta(days=6)},
        )
    return render(request, "registry/rounds_new.html", {"form": form})


@capability_required(RegistryCapability.VIEW)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    screening_round = _get_round(request, pk)
    buildings = round_buildings(screening_round=screening_round)
    building = request.GET.get("building", "")
    unvisited = request.GET.get("unvisited") == "1"
    households = round_addresses(
        screening_round=screening_round,
        building=building,
        households_only=True,
        unvisited=unvisited,
    )
    page = Paginator(households, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/rounds_detail.html",
        {
            "round": screening_round,
            "progress": round_progress(round=screening_round),
            "buildings": buildings,
            "building": building,
            "unvisited": unvisited,
            "page": page,
            "can_change": _can_change(request),
            "tab": "detail",
        },
    )


@dataclass
class VisitRow:
    """One person on the visit form, with what the worker chose and any error."""

    member: HouseholdMember
    status: str
    away_from: str
    error: str = ""


def _visit_pick(request: HttpRequest, screening_round: ScreeningRound) -> HttpResponse:
    building = request.GET.get("building", "")
    addresses = (
        round_addresses(screening_round=screening_round, building=building) if building else None
    )
    return render(
        request,
        "registry/visit_pick.html",
        {
            "round": screening_round,
            "buildings": round_buildings(screening_round=screening_round),
            "building": building,
            "addresses": addresses,
            "can_change": _can_change(request),
            "tab": "visit",
        },
    )


def _default_visit_date(screening_round: ScreeningRound) -> dt.date:
    today = timezone.localdate()
    return min(max(today, screening_round.starts_on), screening_round.ends_on)


@capability_required(RegistryCapability.VIEW)
def round_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Without an address: pick a building, then a room. With one: the household's form."""
    screening_round = _get_round(request, pk)
    address_id = request.GET.get("address") or request.POST.get("address")
    if not address_id:
        return _visit_pick(request, screening_round)
    # Only addresses under the round's area, and through the caller's scope.
    address = get_visible_or_404(
        round_addresses(screening_round=screening_round), request.user, pk=address_id
    )
    visit, members = visit_household(screening_round=screening_round, address=address)
    building = f"{address.area_id}:{address.building}"
    can_change = _can_change(request)

    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = VisitForm(request.POST)
        rows = [
            VisitRow(
                m,
                request.POST.get(f"status_{m.person.pk}", ""),
                request.POST.get(f"away_from_{m.person.pk}", "").strip(),
            )
            for m in members
        ]
        if form.is_valid():
            try:
                visit_record(
                    actor=request.user,
                    round=screening_round,
                    address=address,
                    visited_on=form.cleaned_data["visited_on"],
                    findings=[Finding(r.member.person, r.status, r.away_from) for r in rows],
                    observation_notes=form.cleaned_data["observation_notes"],
                )
            except ValidationError as exc:
                _put_visit_errors(form, rows, exc)
            else:
                messages.success(
                    request,
                    gettext("已保存走访：%(area)s %(address)s")
                    % {"area": address.area.name, "address": address},
                )
                url = reverse("registry:round-visit", kwargs={"pk": screening_round.pk})
                return redirect(f"{url}?{urlencode({'building': building})}")
    else:
        form = VisitForm(
            initial={
                "visited_on": visit.visited_on if visit else _default_visit_date(screening_round),
                "observation_notes": visit.observation_notes if visit else "",
            }
        )
        rows = [VisitRow(m, m.status, m.away_from) for m in members]
    return render(
        request,
        "registry/visit.html",
        {
            "round": screening_round,
            "address": address,
            "visit": visit,
            "rows": rows,
            "form": form,
            "statuses": FindingStatus.choices,
            "building": building,
            "can_change": can_change,
            "tab": "visit",
        },
    )


def _put_visit_errors(form: VisitForm, rows: list[VisitRow], error: ValidationError) -> None:
    """`findings.<i>.<field>` errors go on row i; the rest on the form."""
    for name, reasons in error.message_dict.items():
        parts = name.split(".")
        if parts[0] == "findings" and len(parts) > 1 and parts[1].isdecimal():
            index = int(parts[1])
            if index < len(rows):
                rows[index].error = " ".join(reasons)
                continue
        for reason in reasons:
            form.add_error(name if name in form.fields else None, reason)


@capability_required(RegistryCapability.VIEW)
def round_changes_page(request: HttpRequest, pk: int) -> HttpResponse:
    screening_round = _get_round(request, pk)
    changes = round_changes(round=screening_round)
    sections = [
        ("newly_not_back", _("新增未返京"), changes.newly_not_back),
        ("returned", _("已返京"), changes.returned),
        ("newly_found", _("新发现"), changes.newly_found),
        ("gone", _("已搬离或本轮未见"), changes.gone),
    ]
    return render(
        request,
        "registry/rounds_changes.html",
        {
            "round": screening_round,
            "changes": changes,
            "sections": sections,
            "progress": round_progress(round=screening_round),
            "can_change": _can_change(request),
            "tab": "changes",
        },
    )
