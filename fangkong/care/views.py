"""Care pages: today's care-call list (one line per household), a household's members,
calls and requests (record a call saying who was called, raise a request), and the
requests list with take / done / not possible."""

from __future__ import annotations

import datetime as dt
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

from fangkong.areas.selectors import area_visible_by_code, living_areas_visible_to
from fangkong.arrivals.models import Observation
from fangkong.arrivals.notices.selectors import notice_link_token
from fangkong.care import selectors, services
from fangkong.care.models import (
    Announcement,
    CallOutcome,
    CareRequest,
    RequestKind,
    RequestStatus,
)
from fangkong.care.module import CareCapability
from fangkong.core.errors import Conflict
from fangkong.core.qr import qr_svg
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _errors(request: HttpRequest, exc: ValidationError | Conflict) -> None:
    if isinstance(exc, Conflict):
        messages.error(request, exc.reason)
        return
    for field_messages in exc.message_dict.values():
        for message in field_messages:
            messages.error(request, message)


@capability_required(CareCapability.VIEW)
def calls(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    todo = request.GET.get("todo") == "1"
    page = Paginator(selectors.households(user=user, on=today, todo=todo), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "care/calls.html",
        {
            "page": page,
            "todo": todo,
            "today": today,
            "counts": selectors.counts(user=user, on=today),
            "outcomes": CallOutcome.choices,
            "kinds": RequestKind.choices,
            "can_serve": user.can(CareCapability.SERVE),
        },
    )


@capability_required(CareCapability.VIEW)
def household(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    observation = get_visible_or_404(
        Observation.objects.select_related("person", "area", "address"), user, pk=pk
    )
    today = timezone.localdate()
    home = selectors.household_of(user=user, observation=observation, on=today)
    return render(
        request,
        "care/household.html",
        {
            "observation": observation,
            "household": home,
            "members": [(m, m.day_number(today)) for m in home.members],
            "day": observation.day_number(today),
            "calls": selectors.calls_of(*home.members)[:30],
            "requests": selectors.requests_of_resident(*home.members).select_related(
                "area", "observation__person", "observation__address", "assignee"
            ),
            "colleagues": selectors.colleagues(user=user),
            "outcomes": CallOutcome.choices,
            "kinds": RequestKind.choices,
            "can_serve": user.can(CareCapability.SERVE),
        },
    )


def _called(request: HttpRequest, observation: Observation) -> Observation:
    """Who of the household was called (`called`: their observation; the line's own by
    default); someone outside the household is refused, naming the field."""
    raw = request.POST.get("called", "").strip()
    if not raw or raw == str(observation.pk):
        return observation
    home = selectors.household_of(
        user=request.user, observation=observation, on=timezone.localdate()
    )
    member = next((m for m in home.members if str(m.pk) == raw), None)
    if member is None:
        raise ValidationError({"called": [gettext("接电话的人不是这一户的居家观察人员")]})
    return member


@require_POST
@capability_required(CareCapability.SERVE)
def call_record(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    observation = get_visible_or_404(Observation.objects.select_related("person"), user, pk=pk)
    try:
        services.call_record(
            actor=user,
            observation=_called(request, observation),
            outcome=request.POST.get("outcome", ""),
            needs=request.POST.get("needs", ""),
            note=request.POST.get("note", ""),
            request_kind=request.POST.get("request_kind", ""),
            request_detail=request.POST.get("request_detail", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, gettext("关怀电话已记录"))
    return redirect(_next(request, "care:calls"))


@require_POST
@capability_required(CareCapability.SERVE)
def request_new(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    observation = get_visible_or_404(Observation.objects.select_related("person"), user, pk=pk)
    try:
        services.request_raise(
            actor=user,
            observation=observation,
            kind=request.POST.get("kind", ""),
            detail=request.POST.get("detail", ""),
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, gettext("求助已登记"))
    return redirect(_next(request, "care:requests"))


STATES = ("open", "overdue", "mine", RequestStatus.NEW, RequestStatus.DONE, RequestStatus.FAILED)


@capability_required(CareCapability.VIEW)
def requests(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    qs = selectors.requests_visible(
        user=user,
        status="open" if state in ("open", "overdue") else ("" if state == "mine" else state),
        overdue=state == "overdue",
        mine=state == "mine",
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "care/requests.html",
        {
            "page": page,
            "state": state,
            "counts": selectors.counts(user=user, on=timezone.localdate()),
            "colleagues": selectors.colleagues(user=user),
            "can_serve": user.can(CareCapability.SERVE),
            "now": timezone.now(),
            "summary": selectors.day_summary(user=user, on=timezone.localdate()),
        },
    )


def _request(request: HttpRequest, pk: int) -> CareRequest:
    return get_visible_or_404(CareRequest.objects.select_related("area"), request.user, pk=pk)


@require_POST
@capability_required(CareCapability.SERVE)
def request_take(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    care_request = _request(request, pk)
    assignee = None
    chosen = request.POST.get("assignee", "")
    if chosen and chosen != str(user.pk):
        assignee = next((a for a in selectors.colleagues(user=user) if str(a.pk) == chosen), None)
        if assignee is None:
            messages.error(request, gettext("这位同事不负责这个社区的求助"))
            return redirect(_next(request, "care:requests"))
    try:
        services.request_take(
            actor=user,
            request=care_request,
            assignee=assignee,
            volunteer=request.POST.get("volunteer", ""),
        )
    except (ValidationError, Conflict) as exc:
        _errors(request, exc)
    else:
        messages.success(request, gettext("已接单"))
    return redirect(_next(request, "care:requests"))


@require_POST
@capability_required(CareCapability.SERVE)
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    care_request = _request(request, pk)
    done = request.POST.get("done") == "1"
    try:
        services.request_close(
            actor=user, request=care_request, done=done, outcome=request.POST.get("outcome", "")
        )
    except (ValidationError, Conflict) as exc:
        _errors(request, exc)
    else:
        messages.success(request, gettext("已完成") if done else gettext("已记为无法完成"))
    return redirect(_next(request, "care:requests"))


@capability_required(CareCapability.VIEW)
def announcements(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "care/announcements.html",
        {
            "announcements": selectors.announcements_visible(user=user)[:100],
            "areas": living_areas_visible_to(user),
            "today": timezone.localdate(),
            "can_serve": user.can(CareCapability.SERVE),
        },
    )


@require_POST
@capability_required(CareCapability.SERVE)
def announcement_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    post = request.POST
    try:
        ends_on = post.get("ends_on", "")
        services.announcement_publish(
            actor=user,
            area=area_visible_by_code(user=user, code=post.get("area", "")),
            title=post.get("title", ""),
            body=post.get("body", ""),
            phones=post.get("phones", ""),
            ends_on=_date(ends_on, "ends_on") if ends_on else None,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, gettext("公告已发布，居民在手机页面上就能看到"))
    return redirect("care:announcements")


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: [gettext("日期格式应为 2020-03-04")]}) from None


def _announcement(request: HttpRequest, pk: int) -> Announcement:
    return get_visible_or_404(Announcement.objects.select_related("area"), request.user, pk=pk)


@require_POST
@capability_required(CareCapability.SERVE)
def announcement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    services.announcement_withdraw(actor=request.user, announcement=_announcement(request, pk))
    messages.success(request, gettext("公告已撤下"))
    return redirect("care:announcements")


@capability_required(CareCapability.VIEW)
def announcement_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 poster: the notice and a QR code of the community's advance-notice link
    (where the residents read the notices on their phones and report their return)."""
    announcement = _announcement(request, pk)
    area = announcement.area
    community = area if area.kind != "zone" or area.parent is None else area.parent
    url = request.build_absolute_uri(reverse("public:notice", args=[notice_link_token(community)]))
    return render(
        request,
        "care/announcement_poster.html",
        {"a": announcement, "community": community, "url": url, "qr": qr_svg(url, scale=6)},
    )
