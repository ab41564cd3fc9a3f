"""The development page of a branch: candidates by stage, who is due for the next step,
the step itself, and the branch meetings (in person or by remote video)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from fangkong.core.errors import Conflict
from fangkong.core.forms import put_errors
from fangkong.core.scoping import get_visible_or_404
from fangkong.core.views import capability_required
from fangkong.party.development import selectors, services
from fangkong.party.development.forms import MeetingRecordForm
from fangkong.party.forms import CandidateApplyForm, service_errors
from fangkong.party.models import Candidate, Meeting, Member, Organisation, OrgKind, Stage
from fangkong.party.module import PartyCapability


def _org(request: HttpRequest, pk: int) -> Organisation:
    return get_visible_or_404(Organisation.objects.select_related("area"), request.user, pk=pk)


def _context(request: HttpRequest, org: Organisation, **extra: Any) -> dict[str, Any]:
    user: Any = request.user
    is_branch = org.kind == OrgKind.BRANCH
    context = {
        "org": org,
        "steps": selectors.next_steps(user, org, timezone.localdate()),
        "full": selectors.candidates_visible(user, org).filter(stage=Stage.FULL),
        "meetings": selectors.meetings_visible(user, org)[:20],
        "can_manage": user.can(PartyCapability.MANAGE),
        "is_branch": is_branch,
        "members": org.members.filter(active=True).select_related("person") if is_branch else [],
        "today": timezone.localdate(),
    }
    if is_branch:
        context.setdefault("meeting_form", MeetingRecordForm(branch=org))
        context.setdefault("candidate_form", CandidateApplyForm())
    context.update(extra)
    return context


@capability_required(PartyCapability.VIEW)
def development(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    return render(request, "party/development.html", _context(request, org))


@require_POST
@capability_required(PartyCapability.MANAGE)
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_visible_or_404(Candidate.objects.select_related("branch"), request.user, pk=pk)
    post = request.POST
    introducers = list(
        Member.objects.visible_to(request.user).filter(pk__in=post.getlist("introducers"))
    )
    meeting = None
    if post.get("meeting"):
        meeting = Meeting.objects.visible_to(request.user).filter(pk=post["meeting"]).first()
    try:
        on = dt.date.fromisoformat(post.get("on", ""))
    except ValueError:
        messages.error(request, gettext("请填写日期"))
        return redirect("party:development", pk=candidate.branch_id)
    try:
        services.candidate_advance(
            actor=request.user,
            candidate=candidate,
            stage=post.get("stage", ""),
            on=on,
            introducers=introducers,
            meeting=meeting,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except Conflict as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, gettext("已进入下一阶段"))
    return redirect("party:development", pk=candidate.branch_id)


@require_POST
@capability_required(PartyCapability.MANAGE)
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    form = MeetingRecordForm(request.POST, branch=org)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.meeting_record(
                actor=request.user, branch=org, candidates=list(data.pop("candidates")), **data
            )
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, gettext("已登记支部党员大会"))
            return redirect("party:development", pk=org.pk)
    return render(
        request, "party/development.html", _context(request, org, meeting_form=form), status=400
    )


@require_POST
@capability_required(PartyCapability.MANAGE)
def candidate_new(request: HttpRequest, pk: int) -> HttpResponse:
    """An applicant enters the branch's pipeline, found by their document: the same
    service as POST /api/v1/party/candidates/."""
    org = _org(request, pk)
    form = CandidateApplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            candidate = services.candidate_apply_by_document(
                actor=request.user,
                branch=org,
                document_type=data["document_type"],
                document_number=data["document_number"],
                applied_on=data["applied_on"],
                frontline=data["frontline"],
                note=data["note"],
            )
        except (ValidationError, Conflict) as exc:
            service_errors(form, exc, {"person": "document_number", "branch": "document_number"})
        else:
            messages.success(
                request, gettext("已登记 %(name)s 的入党申请") % {"name": candidate.person.name}
            )
            return redirect("party:development", pk=org.pk)
    return render(
        request, "party/development.html", _context(request, org, candidate_form=form), status=400
    )
