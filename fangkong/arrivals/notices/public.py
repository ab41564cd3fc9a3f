"""The public advance-notice page (返京报备): a returnee, a landlord or an employer files a
notice on a phone, without an account, through the community's link or QR code
(/r/notice/<token>/, the token being the community's code signed by the server).

Abuse is held off three ways: a forged link answers 404; a client address may file 5
notices an hour and a community receives at most 50 an hour (429 beyond); a honeypot field
that people never see catches simple bots. And nothing filed here counts until a worker
has called the filer and confirmed it."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fangkong.areas.models import Area, AreaKind
from fangkong.arrivals.notices.forms import (
    PublicNoticeForm,
    people_rows,
    read_people,
)
from fangkong.arrivals.notices.selectors import (
    area_for_notice_token,
    notice_done_token,
    notice_for_done_token,
    notice_reference,
    notice_unit_choices,
)
from fangkong.arrivals.notices.services import notice_file
from fangkong.arrivals.panels import NOTICE, PanelPlace, public_panels
from fangkong.audit.services import client_ip
from fangkong.core.forms import field_errors, put_errors
from fangkong.policy.models import PolicyVersion
from fangkong.registry.models import DocumentType

LIMIT_PER_IP = 5
LIMIT_PER_AREA = 50
WINDOW_SECONDS = 3600


# --- rate limit ------------------------------------------------------------------------


def _keys(ip: str, area: Area) -> tuple[str, str]:
    window = int(time.time() // WINDOW_SECONDS)
    return f"fk:notice-rate:ip:{ip}:{window}", f"fk:notice-rate:area:{area.code}:{window}"


def over_limit(ip: str, area: Area) -> bool:
    by_ip, by_area = _keys(ip, area)
    return bool(
        int(cache.get(by_ip, 0)) >= LIMIT_PER_IP or int(cache.get(by_area, 0)) >= LIMIT_PER_AREA
    )


def count_filing(ip: str, area: Area) -> None:
    for key in _keys(ip, area):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS)


# --- pages -------------------------------------------------------------------------------


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "arrivals/notice_public_invalid.html", status=404)


def _policy_today() -> PolicyVersion | None:
    return PolicyVersion.objects.filter(effective_from__lte=timezone.localdate()).first()


@never_cache
def notice_public(request: HttpRequest, token: str) -> HttpResponse:
    community = area_for_notice_token(token)
    if community is None:
        return _invalid_link(request)
    zones = Area.objects.current().filter(parent=community, kind=AreaKind.ZONE).order_by("code")
    units = notice_unit_choices(area=community)
    form = PublicNoticeForm(request.POST or None, areas=zones, units=units)
    rows = read_people(request.POST) if request.method == "POST" else []
    error: ValidationError | None = None
    status = 200
    if request.method == "POST":
        ip = client_ip(request) or "unknown"
        if over_limit(ip, community):
            return render(
                request,
                "arrivals/notice_public_limited.html",
                {"community": community, "per_ip": LIMIT_PER_IP},
                status=429,
            )
        if request.POST.get("website"):
            count_filing(ip, community)  # a bot's try counts against its address
            form.add_error(None, _("提交未成功，请刷新页面后重新填写。"))
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            note = data["note"]
            if data["unit_name"] and data["unit"] is None:
                note = f"用工单位：{data['unit_name']}（未在社区登记）" + (
                    f"；{note}" if note else ""
                )
            try:
                notice = notice_file(
                    actor=None,
                    area=data["area"] or community,
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
                    unit=data["unit"],
                    note=note[:300],
                )
            except ValidationError as exc:
                error = exc
                put_errors(form, exc, skip=("people.",))
                status = 400
            else:
                count_filing(ip, community)
                return redirect("public:notice-done", token=token, ref=notice_done_token(notice))
        else:
            status = 400
    return render(
        request,
        "arrivals/notice_public.html",
        {
            "community": community,
            "form": form,
            "people": people_rows(rows, error),
            "people_error": field_errors(error).get("people"),
            "document_types": DocumentType.choices,
            "policy": _policy_today(),
            "has_zones": zones.exists(),
            "has_units": units.exists(),
            "panels": public_panels(request, PanelPlace(NOTICE, community)),
        },
        status=status,
    )


@never_cache
def notice_public_done(request: HttpRequest, token: str, ref: str) -> HttpResponse:
    community = area_for_notice_token(token)
    notice = notice_for_done_token(ref)
    if (
        community is None
        or notice is None
        or not (notice.area.pk == community.pk or notice.area.parent_id == community.pk)
    ):
        return _invalid_link(request)
    return render(
        request,
        "arrivals/notice_public_done.html",
        {
            "community": community,
            "notice": notice,
            "reference": notice_reference(notice),
            "people_count": notice.people.count(),
            "token": token,
        },
    )
