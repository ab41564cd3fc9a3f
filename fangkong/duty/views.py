"""Duty pages: posts with today's coverage, a post's week roster (plan, copy last week,
swap, gaps highlighted), the guard's sign-in page (phone first) and the monthly hours with
their Excel download. Each action calls one service; its API twin is in api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.areas.selectors import living_areas_visible_to
from fangkong.audit.services import audit_export
from fangkong.core.dates import parse_day
from fangkong.core.errors import Conflict, invalid
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.core.xlsx import EXCEL_MIME, stream_xlsx
from fangkong.duty import selectors, services
from fangkong.duty.api import parse_month
from fangkong.duty.exports import HOURS_COLUMNS, hours_rows
from fangkong.duty.models import Assignment, Attendance, DutyPerson, DutyRole, Post, Shift
from fangkong.duty.module import DutyCapability
from fangkong.registry.models import DocumentType
from fangkong.units.models import Unit


def _error(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, Conflict):
        messages.error(request, exc.reason)
    elif isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))


@capability_required(DutyCapability.VIEW)
def post_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    posts = selectors.posts_visible(user)
    cells = selectors.coverage(posts, today, today)
    rows: dict[int, dict[str, Any]] = {}
    for c in cells:
        row = rows.setdefault(c.post.pk, {"post": c.post, "cells": [], "needed": 0, "rostered": 0})
        row["cells"].append(c)
        row["needed"] += c.needed
        row["rostered"] += min(c.rostered, c.needed)
    return render(
        request,
        "duty/post_list.html",
        {
            "today": today,
            "rows": list(rows.values()),
            "gaps": selectors.gaps_ahead(user),
            "att": selectors.day_attendance(user, today),
            "can_plan": user.can(DutyCapability.PLAN),
            "can_sign": user.can(DutyCapability.SIGN),
            # The neighbours of the duty side, linked here (supplies sits above duty: its
            # capability by name, not by import).
            "can_rounds": user.can("rounds.view"),
            "can_supplies": user.can("supplies.view"),
            "areas": living_areas_visible_to(user),
        },
    )


@require_POST
@capability_required(DutyCapability.PLAN)
def post_new(request: HttpRequest) -> HttpResponse:
    """A new post with its shift pattern (3 × 8 h or 2 × 12 h) and the people each needs."""
    user: Any = request.user
    area = living_areas_visible_to(user).filter(pk=request.POST.get("area") or 0).first()
    try:
        if area is None:
            raise invalid("area", gettext("请选择所在社区或片区"), "required")
        try:
            needed = int(request.POST.get("needed") or 2)
        except ValueError:
            raise invalid("needed", gettext("每班需要人数应在 1 到 50 之间"), "invalid") from None
        with transaction.atomic():
            post = services.post_create(actor=user, area=area, name=request.POST.get("name", ""))
            services.shifts_set(
                actor=user, post=post, pattern=request.POST.get("pattern", "3x8"), needed=needed
            )
    except (ValidationError, Conflict) as exc:
        _error(request, exc)
        return redirect("duty:posts")
    messages.success(request, gettext("已设立值守点 %(name)s") % {"name": post.name})
    return redirect("duty:post-week", pk=post.pk)


def _post(request: HttpRequest, pk: int) -> Post:
    return get_visible_or_404(Post.objects.select_related("area", "gate"), request.user, pk=pk)


@capability_required(DutyCapability.VIEW)
def post_week(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    post = _post(request, pk)
    monday = selectors.week_of(parse_day(request.GET.get("week"), field="week"))
    week = selectors.post_week(post, monday)
    people = selectors.duty_people(user)
    return render(
        request,
        "duty/post_week.html",
        {
            "post": post,
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "week": week,
            "people": [p for p in people if post.area.path.startswith(p.area.path)],
            "gap_key": request.GET.get("gap", ""),
            "can_plan": user.can(DutyCapability.PLAN),
            "today": timezone.localdate(),
        },
    )


def _back(post: Post, day: dt.date | None) -> str:
    url = reverse("duty:post-week", args=[post.pk])
    return f"{url}?week={day:%Y-%m-%d}" if day else url


@require_POST
@capability_required(DutyCapability.PLAN)
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    post = _post(request, pk)
    try:
        day = parse_day(request.POST.get("day"), field="day")
    except ValidationError as exc:
        _error(request, exc)
        return redirect(_back(post, None))
    shift = Shift.objects.filter(post=post, active=True, pk=request.POST.get("shift") or 0).first()
    person = DutyPerson.objects.visible_to(user).filter(pk=request.POST.get("person") or 0).first()
    if shift is None or person is None:
        messages.error(request, gettext("请选择班次和人员"))
        return redirect(_back(post, day))
    try:
        services.assign(actor=user, shift=shift, day=day, person=person)
    except (ValidationError, Conflict) as exc:
        _error(request, exc)
    else:
        messages.success(request, gettext("已排班：%(name)s") % {"name": person.person.name})
    return redirect(_back(post, day))


@require_POST
@capability_required(DutyCapability.PLAN)
def unassign(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_visible_or_404(
        Assignment.objects.select_related("shift__post__area"), request.user, pk=pk
    )
    post, day = line.shift.post, line.day
    try:
        services.unassign(actor=request.user, assignment=line)
    except (ValidationError, Conflict) as exc:
        _error(request, exc)
    else:
        messages.success(request, gettext("已取消排班"))
    return redirect(_back(post, day))


@require_POST
@capability_required(DutyCapability.PLAN)
def swap(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    lines = Assignment.objects.visible_to(request.user).select_related(
        "shift__post__area", "person__person", "person__area"
    )
    first = lines.filter(pk=request.POST.get("first") or 0).first()
    other = lines.filter(pk=request.POST.get("other") or 0).first()
    if first is None or other is None:
        messages.error(request, gettext("请选择要调换的两个排班"))
        return redirect(_back(post, None))
    try:
        services.swap(actor=request.user, first=first, second=other)
    except (ValidationError, Conflict) as exc:
        _error(request, exc)
    else:
        messages.success(request, gettext("已换班"))
    return redirect(_back(post, first.day))


@require_POST
@capability_required(DutyCapability.PLAN)
def copy_week(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    monday = selectors.week_of(parse_day(request.POST.get("week"), field="week"))
    copied, skipped = services.copy_week(actor=request.user, post=post, week_start=monday)
    messages.success(
        request,
        gettext("已复制上周排班 %(copied)s 条，跳过 %(skipped)s 条")
        % {"copied": copied, "skipped": len(skipped)},
    )
    for reason in skipped[:5]:
        messages.warning(request, reason)
    return redirect(_back(post, monday))


@require_POST
@capability_required(DutyCapability.PLAN)
def pattern(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the post's shift pattern (3 × 8 h ⇄ 2 × 12 h) and the people each shift needs."""
    post = _post(request, pk)
    try:
        raw = request.POST.get("needed") or ""
        try:
            needed = int(raw) if raw else None
        except ValueError:
            raise invalid("needed", gettext("每班需要人数应在 1 到 50 之间"), "invalid") from None
        services.shifts_set(
            actor=request.user, post=post, pattern=request.POST.get("pattern", ""), needed=needed
        )
    except (ValidationError, Conflict) as exc:
        _error(request, exc)
    else:
        messages.success(request, gettext("已更改班次模式"))
    return redirect(_back(post, None))


@require_POST
@capability_required(DutyCapability.PLAN)
def shift_needed(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_visible_or_404(Shift.objects.select_related("post__area"), request.user, pk=pk)
    try:
        try:
            needed = int(request.POST.get("needed") or "")
        except ValueError:
            raise invalid("needed", gettext("每班需要人数应在 1 到 50 之间"), "invalid") from None
        services.shift_needed_set(actor=request.user, shift=shift, needed=needed)
    except (ValidationError, Conflict) as exc:
        _error(request, exc)
    else:
        messages.success(request, gettext("已更改需要人数"))
    return redirect(
        _back(
            shift.post,
            parse_day(request.POST.get("week"), field="week") if request.POST.get("week") else None,
        )
    )


@capability_required(DutyCapability.SIGN)
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The guard's phone page: one tap per rostered person, or a pass scanned or typed."""
    user: Any = request.user
    post = _post(request, pk)
    if request.method == "POST":
        try:
            if request.POST.get("person"):
                person = (
                    DutyPerson.objects.select_related("person", "area")
                    .filter(pk=request.POST["person"], active=True)
                    .first()
                )
                if person is None:
                    raise ValidationError(gettext("值守名单中没有此人"))
            else:
                person = services.duty_person_by_pass(
                    post=post, token=request.POST.get("token", "")
                )
            attendance = services.sign_in(actor=user, post=post, person=person)
        except (ValidationError, Conflict) as exc:
            _error(request, exc)
        else:
            text = gettext("%(name)s 已签到") % {"name": person.person.name}
            if attendance.late:
                text += gettext("（迟到）")
            if attendance.unplanned:
                text += gettext("（未排班）")
            messages.success(request, text)
        return redirect("duty:sign", pk=post.pk)
    return render(
        request,
        "duty/sign.html",
        {
            "post": post,
            "now": selectors.current_shift(post),
            "posts": selectors.posts_visible(user),
        },
    )


@require_POST
@capability_required(DutyCapability.SIGN)
def sign_out(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_visible_or_404(
        Attendance.objects.select_related("post", "person__person"), request.user, pk=pk
    )
    try:
        services.sign_out(actor=request.user, attendance=attendance)
    except (ValidationError, Conflict) as exc:
        _error(request, exc)
    else:
        messages.success(
            request, gettext("%(name)s 已签退") % {"name": attendance.person.person.name}
        )
    return redirect("duty:sign", pk=attendance.post_id)


@capability_required(DutyCapability.VIEW)
def hours(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    try:
        month = parse_month(request.GET.get("month"))
    except ValidationError:
        month = timezone.localdate().replace(day=1)
    people, units = selectors.month_hours(user, None, month)
    if request.GET.get("format") == "xlsx":
        audit_export(
            actor=user, what="duty.hours", rows=len(people), request=request, area=user.area
        )
        response = StreamingHttpResponse(
            stream_xlsx(
                hours_rows(people, units), columns=HOURS_COLUMNS, title=gettext("值守时长")
            ),
            content_type=EXCEL_MIME,
        )
        response["Content-Disposition"] = f'attachment; filename="duty-hours-{month:%Y-%m}.xlsx"'
        # A streamed response; the page decorators are typed for plain ones.
        return cast(HttpResponse, response)
    return render(request, "duty/hours.html", {"month": month, "people": people, "units": units})


@capability_required(DutyCapability.VIEW)
def people(request: HttpRequest) -> HttpResponse:
    """The duty list of the user's areas; planners add people to it by document number
    (a unit's volunteer may be registered in another community)."""
    user: Any = request.user
    areas = living_areas_visible_to(user)
    if request.method == "POST":
        if not user.can(DutyCapability.PLAN):
            raise PermissionDenied
        area = areas.filter(pk=request.POST.get("area") or 0).first()
        unit = None
        try:
            if area is None:
                raise invalid("area", gettext("请选择所在社区或片区"), "required")
            if request.POST.get("unit"):
                unit = get_visible_or_404(Unit, user, pk=request.POST["unit"])
            found = services.duty_person_add_by_document(
                actor=user,
                area=area,
                document_type=request.POST.get("document_type", DocumentType.RESIDENT_ID),
                document_number=request.POST.get("document_number", ""),
                role=request.POST.get("role", ""),
                unit=unit,
            )
        except (ValidationError, Conflict) as exc:
            _error(request, exc)
        else:
            messages.success(
                request, gettext("已把 %(name)s 加入值守名单") % {"name": found.person.name}
            )
        return redirect("duty:people")
    return render(
        request,
        "duty/people.html",
        {
            "people": selectors.duty_people(user).order_by("area__path", "role", "person__name"),
            "areas": areas,
            "units": Unit.objects.visible_to(user).order_by("name"),
            "roles": DutyRole.choices,
            "document_types": DocumentType.choices,
            "can_plan": user.can(DutyCapability.PLAN),
        },
    )
