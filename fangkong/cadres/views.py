"""Cadres pages: the list with today's health check and sign-in (and 我的签到 for a
cadre's own account), a cadre's page (report, deployments, insurance, training and the
managers' forms), the organs with their report and numbers sent, and the allocation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.areas.selectors import area_visible_by_code, living_areas_visible_to
from fangkong.cadres import selectors, services
from fangkong.cadres.allocation import TARGET_KINDS, propose
from fangkong.cadres.models import Allocation, Cadre, Organ
from fangkong.cadres.module import CadresCapability
from fangkong.cadres.placement import shortfall
from fangkong.core.errors import Conflict
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required


def _errors(request: HttpRequest, exc: ValidationError | Conflict) -> None:
    if isinstance(exc, Conflict):
        messages.error(request, exc.reason)
        return
    for field_messages in exc.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"on": [gettext("日期格式应为 2020-03-04")]}) from None


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


LISTS = ("unwell", "uninsured", "expiring")


@capability_required(CadresCapability.VIEW)
def cadre_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    which = request.GET.get("list", "")
    if which == "uninsured":
        cadres = selectors.uninsured(user=user, on=today)
    elif which == "expiring":
        cadres = selectors.expiring(user=user, on=today)
    else:
        cadres = selectors.cadres_visible(user=user, on=today)
        if which == "unwell":
            cadres = cadres.filter(Q(fit_today=False))
    me = selectors.cadre_for_account(user)
    if me is not None:
        me = selectors.cadres_visible(user=user, on=today).filter(pk=me.pk).first()
    return render(
        request,
        "cadres/list.html",
        {
            "cadres": cadres.order_by("area__path", "organ__name", "name")[:500],
            "which": which if which in LISTS else "",
            "me": me,
            "today": today,
            "can_check": user.can(CadresCapability.CHECK),
            "can_manage": user.can(CadresCapability.MANAGE),
            "organs": Organ.objects.all(),
            "areas": living_areas_visible_to(user).filter(kind__in=TARGET_KINDS),
            "counts": {
                "unwell": selectors.unwell_today(user=user, on=today).count(),
                "uninsured": selectors.uninsured(user=user, on=today).count(),
                "expiring": selectors.expiring(user=user, on=today).count(),
            },
        },
    )


@require_POST
@capability_required(CadresCapability.MANAGE)
def cadre_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    post = request.POST
    try:
        organ = Organ.objects.filter(pk=post.get("organ") or 0).first()
        if organ is None:
            raise ValidationError({"organ": [gettext("请选择派出单位")]})
        cadre = services.cadre_register(
            actor=user,
            organ=organ,
            name=post.get("name", ""),
            area=area_visible_by_code(user=user, code=post.get("area", "")),
            starts_on=_date(post.get("starts_on", "")),
            phone=post.get("phone", ""),
            distance_km=post.get("distance_km") or None,
        )
    except (ValidationError, Conflict) as exc:
        _errors(request, exc)
        return redirect("cadres:list")
    messages.success(request, gettext("已登记"))
    return redirect("cadres:detail", pk=cadre.pk)


def _cadre(request: HttpRequest, pk: int) -> Cadre:
    return get_visible_or_404(Cadre.objects.select_related("organ", "area"), request.user, pk=pk)


@capability_required(CadresCapability.VIEW)
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    cadre = _cadre(request, pk)
    return render(
        request,
        "cadres/detail.html",
        {
            "cadre": cadre,
            "report": selectors.cadre_report(cadre),
            "deployments": cadre.deployments.select_related("area"),
            "insurances": cadre.insurances.all(),
            "trainings": cadre.trainings.all(),
            "checks": cadre.health_checks.order_by("-on")[:14],
            "can_manage": user.can(CadresCapability.MANAGE),
            "can_check": user.can(CadresCapability.CHECK),
            "areas": living_areas_visible_to(user).filter(kind__in=TARGET_KINDS),
            "today": timezone.localdate(),
        },
    )


@require_POST
@capability_required(CadresCapability.CHECK)
def health_check(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = _cadre(request, pk)
    try:
        check = services.health_check_record(
            actor=request.user,
            cadre=cadre,
            temperature=request.POST.get("temperature", ""),
            symptoms=request.POST.get("symptoms") == "1",
        )
    except (ValidationError, Conflict) as exc:
        _errors(request, exc)
    else:
        if check.fit:
            messages.success(request, gettext("健康监测正常，可以签到"))
        else:
            messages.error(request, gettext("体温异常或有症状：今天不能上岗，社区已知悉"))
    return _back(request, reverse("cadres:list"))


@require_POST
@capability_required(CadresCapability.CHECK)
def sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.sign_in(actor=request.user, cadre=_cadre(request, pk))
    except (ValidationError, Conflict) as exc:
        _errors(request, exc)
    else:
        messages.success(request, gettext("已签到"))
    return _back(request, reverse("cadres:list"))


@require_POST
@capability_required(CadresCapability.MANAGE)
def cadre_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    cadre = _cadre(request, pk)
    post = request.POST
    try:
        if action == "reassign":
            area = area_visible_by_code(user=user, code=post.get("area", ""))
            services.cadre_reassign(
                actor=user, cadre=cadre, area=area, on=_date(post.get("on", ""))
            )
        elif action == "end":
            services.deployment_end(
                actor=user, cadre=cadre, on=_date(post.get("on", "")), reason=post.get("reason", "")
            )
        elif action == "insurance":
            services.insurance_record(
                actor=user,
                cadre=cadre,
                insurer=post.get("insurer", ""),
                policy_number=post.get("policy_number", ""),
                starts_on=_date(post.get("starts_on", "")),
                ends_on=_date(post.get("ends_on", "")),
            )
        elif action == "training":
            services.training_record(
                actor=user, cadre=cadre, title=post.get("title", ""), on=_date(post.get("on", ""))
            )
        else:
            raise Http404
    except (ValidationError, Conflict) as exc:
        _errors(request, exc)
    else:
        messages.success(request, gettext("已保存"))
    return redirect("cadres:detail", pk=cadre.pk)


@capability_required(CadresCapability.VIEW)
def organs(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "cadres/organs.html",
        {
            "rows": selectors.organ_report(user=user, on=timezone.localdate()),
            "organs": Organ.objects.all(),
            "can_manage": user.can(CadresCapability.MANAGE),
            "total": sum(o.sends for o in Organ.objects.all()),
        },
    )


@require_POST
@capability_required(CadresCapability.MANAGE)
def organ_sends(request: HttpRequest, pk: int) -> HttpResponse:
    organ = get_visible_or_404(Organ.objects.all(), request.user, pk=pk)
    raw = request.POST.get("sends", "")
    try:
        if not raw.isdigit():
            raise ValidationError({"sends": [gettext("选派人数应为 0 到 10000 的整数")]})
        services.organ_sends_set(actor=request.user, organ=organ, sends=int(raw))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("cadres:organs")


@capability_required(CadresCapability.VIEW)
def allocation(request: HttpRequest) -> HttpResponse:
    """The proposal for the account's area (or `?area=`), and, for officers, the form to
    adjust and confirm it (POST: number_<organ>_<area> fields)."""
    user: Any = request.user
    code = request.GET.get("area") or (user.area.code if user.area_id else "")
    area: Area = area_visible_by_code(user=user, code=code)
    proposal = propose(area=area)
    confirmed = {
        (a.organ_id, a.area_id): a.number
        for a in Allocation.objects.visible_to(user).filter(area__path__startswith=area.path)
    }
    if request.method == "POST" and user.can(CadresCapability.MANAGE):
        organs_by_id = {o.pk: o for o, _n in proposal.organs}
        targets = {t.area.pk: t.area for t in proposal.targets}
        lines = []
        for key in request.POST:
            value = request.POST.get(key, "")
            if not key.startswith("number_") or not value.strip():
                continue
            _prefix, organ_id, area_id = key.split("_", 2)
            organ = organs_by_id.get(int(organ_id)) if organ_id.isdigit() else None
            target = targets.get(int(area_id)) if area_id.isdigit() else None
            if organ is None or target is None or not value.strip().isdigit():
                messages.error(request, gettext("人数应为整数"))
                return redirect(reverse("cadres:allocation") + f"?area={area.code}")
            lines.append((organ, target, int(value)))
        try:
            result = services.allocation_confirm(actor=user, area=area, lines=lines)
        except (ValidationError, Conflict) as exc:
            _errors(request, exc)
        else:
            placed = result.placement
            messages.success(
                request,
                gettext("分配已确认：%(kept)s 人留任，%(moved)s 人调整到新的社区（村）")
                % {"kept": placed.kept, "moved": len(placed.moves)},
            )
            if placed.shortfall:
                messages.warning(
                    request,
                    gettext("派出单位登记的干部不够，共缺 %(n)s 人，见下方“人手不足”")
                    % {"n": sum(s.missing for s in placed.shortfall)},
                )
        return redirect(reverse("cadres:allocation") + f"?area={area.code}")
    shown = [t for t in proposal.targets if t.proposed or any(k[1] == t.area.pk for k in confirmed)]
    grid = [
        (
            target,
            [
                (
                    organ,
                    confirmed.get((organ.pk, target.area.pk), 0)
                    if confirmed
                    else target.organs.get(organ.name, 0),
                )
                for organ, _n in proposal.organs
            ],
        )
        for target in shown
    ]
    return render(
        request,
        "cadres/allocation.html",
        {
            "area": area,
            "proposal": proposal,
            "grid": grid,
            "confirmed": bool(confirmed),
            "shortfall": shortfall(user=user, area=area),
            "can_manage": user.can(CadresCapability.MANAGE),
        },
    )
