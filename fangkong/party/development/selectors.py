"""Scoped reads of development: candidates and meetings, and who is due for the next step
(the minimum intervals are the policy's, in force on the day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from fangkong.party.models import STAGES, Candidate, Meeting, Organisation, Stage
from fangkong.policy.selectors import party_intervals_on

# The policy setting that holds the minimum days before a stage, where there is one.
MIN_DAYS_BEFORE: dict[str, str] = {
    Stage.OBJECT: "party_activist_min_days",
    Stage.FULL: "party_probation_days",
}


def next_stage(stage: str) -> str | None:
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def earliest(candidate: Candidate, stage: str, on: dt.date) -> dt.date:
    """The first day `candidate` may reach `stage` (from the previous stage's day)."""
    previous = STAGES[STAGES.index(stage) - 1]
    since = candidate.stage_date(previous)
    assert since is not None
    setting = MIN_DAYS_BEFORE.get(stage)
    days = party_intervals_on(on)[setting] if setting else 0
    return since + dt.timedelta(days=days)


def candidates_visible(user: Any, org: Organisation | None = None) -> QuerySet[Candidate]:
    qs = Candidate.objects.visible_to(user).select_related(
        "person", "branch", "introducer1__person", "introducer2__person"
    )
    if org is not None:
        qs = qs.filter(branch__path__startswith=org.path)
    return qs


def meetings_visible(user: Any, org: Organisation | None = None) -> QuerySet[Meeting]:
    qs = (
        Meeting.objects.visible_to(user)
        .select_related("branch")
        .prefetch_related("candidates__person")
    )
    if org is not None:
        qs = qs.filter(branch__path__startswith=org.path)
    return qs


@dataclass
class Step:
    candidate: Candidate
    stage: str  # the next stage
    earliest: dt.date
    due: bool

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)


def next_steps(user: Any, org: Organisation, today: dt.date) -> list[Step]:
    """Every candidate not yet a full member with its next stage and the first day it may
    be taken; `due` when that day has come. Due first, then by that day."""
    steps = []
    for c in candidates_visible(user, org).exclude(stage=Stage.FULL):
        stage = next_stage(c.stage)
        assert stage is not None
        first = earliest(c, stage, today)
        steps.append(Step(c, stage, first, first <= today))
    return sorted(steps, key=lambda s: (not s.due, s.earliest, s.candidate.pk))
