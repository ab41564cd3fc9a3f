"""Pages for alerts (medical staff handle them) and call tasks (a worker calls about a
missed report)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.arrivals.health.forms import HandleForm, NoteForm
from fangkong.arrivals.health.selectors import (
    MINE,
    alerts_list,
    call_task_assignee,
    call_task_assignees,
    call_tasks_list,
)
from fangkong.arrivals.health.services import (
    alert_handle,
    call_task_assign,
    call_task_attempt,
    call_task_done,
)
from fangkong.arrivals.models import Alert, CallOutcome, CallTask, CallTaskStatus
from fangkong.arrivals.module import ArrivalsCapability
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.registry.module import RegistryCapability


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


@capability_required(ArrivalsCapability.VIEW)
def alert_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", "open")
    page = Paginator(alerts_list(user=user, state=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "arrivals/alert_list.html",
        {
            "page": page,
            "state": state,
            "form": HandleForm(),
            "can_handle": user.can(ArrivalsCapability.ALERTS_HANDLE),
            # A fever at a gate alerts about a person under no observation: their page.
            "can_view_people": user.can(RegistryCapability.VIEW),
        },
    )


@require_POST
@capability_required(ArrivalsCapability.ALERTS_HANDLE)
def handle_alert(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_visible_or_404(Alert, request.user, pk=pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            alert_handle(actor=request.user, alert=alert, handling=form.cleaned_data["handling"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已记录对 %(name)s 的处置") % {"name": alert.person.name})
    else:
        messages.error(request, _("请填写处置情况"))
    return redirect(_next(request, "arrivals:alerts"))


@capability_required(ArrivalsCapability.VIEW)
def task_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    state = request.GET.get("state", CallTaskStatus.OPEN)
    page = Paginator(call_tasks_list(user=user, state=state), 50).get_page(request.GET.get("page"))
    can_record = user.can(ArrivalsCapability.HEALTH_RECORD)
    return render(
        request,
        "arrivals/task_list.html",
        {
            "page": page,
            "state": state,
            "form": NoteForm(),
            "can_record": can_record,
            "outcomes": CallOutcome.choices,
            "assignees": call_task_assignees(user=user) if can_record else [],
            "mine": call_tasks_list(user=user, state=MINE).count(),
        },
    )


@require_POST
@capability_required(ArrivalsCapability.HEALTH_RECORD)
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(CallTask, request.user, pk=pk)
    raw = request.POST.get("assignee", "")
    assignee = None
    if raw:
        assignee = call_task_assignee(user=request.user, pk=raw)
    try:
        if raw and assignee is None:
            raise ValidationError(_("账号不存在或不在您的辖区内"))
        call_task_assign(actor=request.user, task=task, assignee=assignee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("已分配给 %(who)s") % {"who": assignee} if assignee else _("已取消分配")
        )
    return redirect(_next(request, "arrivals:tasks"))


@require_POST
@capability_required(ArrivalsCapability.HEALTH_RECORD)
def task_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        CallTask.objects.select_related("observation__person"), request.user, pk=pk
    )
    try:
        task = call_task_attempt(
            actor=request.user,
            task=task,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("已记录：%(name)s，%(outcome)s（第 %(n)d 次）")
            % {
                "name": task.observation.person.name,
                "outcome": task.get_outcome_display(),
                "n": task.attempts,
            },
        )
    return redirect(_next(request, "arrivals:tasks"))


@require_POST
@capability_required(ArrivalsCapability.HEALTH_RECORD)
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        CallTask.objects.select_related("observation__person"), request.user, pk=pk
    )
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            call_task_done(actor=request.user, task=task, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("已完成对 %(name)s 的电话询问") % {"name": task.observation.person.name}
            )
    else:
        messages.error(request, _("请填写电话询问的情况"))
    return redirect(_next(request, "arrivals:tasks"))
