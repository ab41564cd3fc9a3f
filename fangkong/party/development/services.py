"""The only writers of development: a candidate's application, each step to the next
stage (with its date, checked against the policy's minimum intervals; two introducers
from the development-object stage on; a meeting that passed for admission and
confirmation), and the branch meetings. A full member joins the branch's roll."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import Conflict, invalid
from fangkong.core.scoping import ensure_visible
from fangkong.party.development.selectors import earliest, next_stage
from fangkong.party.models import (
    STAGE_DATE,
    Candidate,
    Meeting,
    MeetingForm,
    MeetingPurpose,
    Member,
    Organisation,
    OrgKind,
    Stage,
)
from fangkong.party.services import checked_day, member_add, person_by_document_visible
from fangkong.registry.models import Person

# The meeting purpose a stage needs.
MEETING_FOR: dict[str, str] = {
    Stage.PROBATIONARY: MeetingPurpose.ADMIT,
    Stage.FULL: MeetingPurpose.CONFIRM,
}


def _audit(actor: Any, obj: Any, branch: Organisation, detail: str) -> None:
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=obj, area=branch.area, detail=detail)


@transaction.atomic
def candidate_apply(
    *,
    actor: Any,
    branch: Organisation,
    person: Person,
    applied_on: dt.date,
    frontline: bool = False,
    note: str = "",
) -> Candidate:
    """A person hands the branch an application (入党申请书)."""
    ensure_visible(branch, actor, field="branch")
    ensure_visible(person, actor, field="person")
    if branch.kind != OrgKind.BRANCH:
        raise invalid("branch", _("入党申请只能递交给党支部"), "not_a_branch")
    if Member.objects.filter(person=person).exists():
        raise Conflict("person", _("此人已是党员"), code="member_exists")
    if Candidate.objects.filter(person=person).exists():
        raise Conflict("person", _("此人已在发展名单中"), code="candidate_exists")
    candidate = Candidate.objects.create(
        person=person,
        branch=branch,
        stage=Stage.APPLICANT,
        applied_on=checked_day(applied_on, "applied_on"),
        frontline=frontline,
        note=note.strip()[:200],
    )
    _audit(actor, candidate, branch, "candidate applied")
    return candidate


@transaction.atomic
def candidate_apply_by_document(
    *,
    actor: Any,
    branch: Organisation,
    document_type: str,
    document_number: str,
    applied_on: dt.date,
    frontline: bool = False,
    note: str = "",
) -> Candidate:
    """`candidate_apply` for the person registered with this document."""
    ensure_visible(branch, actor, field="branch")
    person = person_by_document_visible(
        actor=actor, document_type=document_type, document_number=document_number
    )
    return candidate_apply(
        actor=actor,
        branch=branch,
        person=person,
        applied_on=applied_on,
        frontline=frontline,
        note=note,
    )


def _introducers(candidate: Candidate, introducers: list[Member]) -> tuple[Member, Member]:
    if len(introducers) != 2 or introducers[0].pk == introducers[1].pk:
        raise invalid("introducers", _("请选择两名不同的入党介绍人"), "two_needed")
    for m in introducers:
        if not m.active or m.person_id == candidate.person_id:
            raise invalid("introducers", _("入党介绍人须是在册党员"), "not_a_member")
    return introducers[0], introducers[1]


@transaction.atomic
def candidate_advance(
    *,
    actor: Any,
    candidate: Candidate,
    stage: str,
    on: dt.date,
    introducers: list[Member] | None = None,
    meeting: Meeting | None = None,
) -> Candidate:
    """Take `candidate` to the next stage on day `on`: not before the policy's minimum
    interval has passed; the development-object stage names two introducers; admission and
    confirmation need a branch meeting that voted on the candidate and passed."""
    ensure_visible(candidate, actor)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    expected = next_stage(candidate.stage)
    if stage != expected:
        raise invalid(
            "stage",
            _("下一步应为“%(stage)s”") % {"stage": Stage(expected).label}
            if expected
            else _("已是正式党员"),
            "not_next",
        )
    day = checked_day(on, "on")
    first = earliest(candidate, stage, day)
    if day < first:
        raise invalid(
            "on",
            _("最早 %(first)s 才能进入“%(stage)s”（政策规定的最短间隔）")
            % {"first": first.isoformat(), "stage": Stage(stage).label},
            "too_early",
        )
    if stage == Stage.OBJECT:
        for member in introducers or []:
            ensure_visible(member, actor, field="introducers")
        candidate.introducer1, candidate.introducer2 = _introducers(candidate, introducers or [])
    if stage in MEETING_FOR:
        if (
            meeting is None
            or meeting.branch_id != candidate.branch_id
            or meeting.purpose != MEETING_FOR[stage]
            or not meeting.candidates.filter(pk=candidate.pk).exists()
        ):
            raise invalid("meeting", _("请选择表决这名同志的支部党员大会"), "meeting_needed")
        if not meeting.passed:
            raise invalid("meeting", _("支部党员大会未通过"), "not_passed")
        if meeting.held_on > day:
            raise invalid("on", _("日期不能早于支部党员大会"), "before_meeting")
    candidate.stage = stage
    setattr(candidate, STAGE_DATE[stage], day)
    candidate.save()
    if stage == Stage.FULL:
        # Party standing counts from admission as a probationary member.
        member_add(
            actor=actor,
            branch=candidate.branch,
            person=candidate.person,
            joined_on=candidate.probationary_on,
        )
    _audit(actor, candidate, candidate.branch, f"candidate {stage}")
    return candidate


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    branch: Organisation,
    held_on: dt.date,
    form: str,
    purpose: str,
    entitled: int,
    present: int,
    votes_for: int,
    votes_against: int = 0,
    abstentions: int = 0,
    remote: int = 0,
    candidates: list[Candidate],
    note: str = "",
) -> Meeting:
    """A branch meeting that votes on candidates, in person or by remote video."""
    ensure_visible(branch, actor, field="branch")
    if form not in MeetingForm.values:
        raise invalid("form", _("形式应为现场或远程视频"), "invalid_choice")
    if purpose not in MeetingPurpose.values:
        raise invalid("purpose", _("议题应为接收预备党员或预备党员转正"), "invalid_choice")
    if entitled < 1:
        raise invalid("entitled", _("应到人数至少为 1"), "invalid")
    if present > entitled:
        raise invalid("present", _("实到人数不能多于应到人数"), "invalid")
    if remote > present:
        raise invalid("remote", _("视频参会人数不能多于实到人数"), "invalid")
    if votes_for + votes_against + abstentions > present:
        raise invalid("votes_for", _("表决票数不能多于实到人数"), "invalid")
    if not candidates:
        raise invalid("candidates", _("请选择表决对象"), "required")
    for c in candidates:
        if c.branch_id != branch.pk:
            raise invalid("candidates", _("表决对象须是本支部的发展对象"), "other_branch")
    meeting = Meeting.objects.create(
        branch=branch,
        held_on=checked_day(held_on, "held_on"),
        form=form,
        purpose=purpose,
        entitled=entitled,
        present=present,
        remote=remote,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        note=note.strip()[:200],
        by=actor,
    )
    meeting.candidates.set(candidates)
    _audit(actor, meeting, branch, f"meeting {purpose} {form}")
    return meeting
