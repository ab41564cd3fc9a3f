from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core.dates import parse_day
from fangkong.core.errors import Conflict
from fangkong.core.views import capability_required
from fangkong.policy.forms import DraftForm, PublishForm, RuleFormSet, rules_of
from fangkong.policy.models import PolicyVersion
from fangkong.policy.module import PolicyCapability
from fangkong.policy.selectors import (
    POLICY_SETTINGS,
    policy_diff,
    policy_in_force,
    policy_previous,
    policy_versions,
)
from fangkong.policy.services import (
    policy_discard,
    policy_draft,
    policy_publish_draft,
    policy_rules_set,
    policy_update,
)


@capability_required(PolicyCapability.VIEW)
def policy_list(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("date", "").strip()
    error = ""
    in_force = None
    try:
        on = parse_day(raw)
        in_force = policy_in_force(on=on)
    except ValidationError as exc:
        on = timezone.localdate()
        error = " ".join(exc.messages)
    return render(
        request,
        "policy/list.html",
        {
            "versions": policy_versions(user=request.user),
            "in_force": in_force,
            "on": on,
            "error": error,
            "raw": raw,
            "can_change": request.user.can(PolicyCapability.CHANGE),  # type: ignore[union-attr]
        },
        status=400 if error else 200,
    )


def _version(request: HttpRequest, pk: int) -> PolicyVersion:
    return get_object_or_404(policy_versions(user=request.user), pk=pk)


def _rules_initial(policy: PolicyVersion) -> list[dict[str, Any]]:
    return [
        {
            "region_code": r.region_code,
            "region_name": r.region_name,
            "risk": r.risk,
            "observation_days": r.observation_days,
        }
        for r in policy.origin_rules.all()
    ]


@capability_required(PolicyCapability.VIEW)
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _version(request, pk)
    previous = policy_previous(policy)
    context: dict[str, Any] = {
        "policy": policy,
        "previous": previous,
        "differences": policy_diff(policy=policy, previous=previous),
    }
    editable = policy.is_draft and request.user.can(PolicyCapability.CHANGE)  # type: ignore[union-attr]
    status = 200
    if editable:
        form = DraftForm(request.POST or None, instance=policy, prefix="draft")
        rules = RuleFormSet(request.POST or None, initial=_rules_initial(policy), prefix="rules")
        if request.method == "POST":
            if form.is_valid() and rules.is_valid():
                try:
                    with transaction.atomic():
                        settings = {name: form.cleaned_data[name] for name in POLICY_SETTINGS}
                        policy_update(actor=request.user, draft=policy, **settings)
                        policy_rules_set(actor=request.user, draft=policy, rules=rules_of(rules))
                except (ValidationError, Conflict) as exc:
                    messages.error(request, _error_text(exc))
                else:
                    messages.success(request, _("草稿已保存"))
                    return redirect("policy:detail", pk=policy.pk)
            status = 400
        context |= {"form": form, "rules": rules, "publish": PublishForm(prefix="publish")}
    return render(request, "policy/detail.html", context, status=status)


def _error_text(exc: ValidationError | Conflict) -> str:
    if isinstance(exc, Conflict):
        return exc.reason
    return " ".join(exc.messages)


@require_POST
@capability_required(PolicyCapability.CHANGE)
def policy_new(request: HttpRequest) -> HttpResponse:
    try:
        draft = policy_draft(actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("policy:list")
    messages.success(request, _("已起草新版本：改好后发布，并给出生效日期"))
    return redirect("policy:detail", pk=draft.pk)


@require_POST
@capability_required(PolicyCapability.CHANGE)
def policy_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _version(request, pk)
    form = PublishForm(request.POST, prefix="publish")
    if not form.is_valid():
        messages.error(request, _("请填写生效日期"))
        return redirect("policy:detail", pk=pk)
    try:
        policy = policy_publish_draft(
            actor=request.user, draft=draft, effective_from=form.cleaned_data["effective_from"]
        )
    except (ValidationError, Conflict) as exc:
        messages.error(request, _error_text(exc))
        return redirect("policy:detail", pk=pk)
    messages.success(request, _("已发布，%(day)s 起生效") % {"day": policy.effective_from})
    return redirect("policy:detail", pk=pk)


@require_POST
@capability_required(PolicyCapability.CHANGE)
def policy_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        policy_discard(actor=request.user, draft=_version(request, pk))
    except Conflict as exc:
        messages.error(request, exc.reason)
        return redirect("policy:detail", pk=pk)
    messages.success(request, _("草稿已放弃"))
    return redirect("policy:list")
