"""Party-member development: stages in order with their dates, the policy's minimum
intervals, two introducers, a branch meeting (by remote video) that passed, who is due
next; a full member joins the branch's roll. Over HTTP, and scoped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.party.development import services
from fangkong.party.development.selectors import next_steps
from fangkong.party.models import Member, Stage
from fangkong.policy.models import PolicyVersion
from tests.conftest import WANPING, World
from tests.factories import make_person
from tests.party.conftest import Party


def _days(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def test_a_frontline_nurse_from_application_to_full_member(world: World, party: Party) -> None:
    t = party.treasurer
    nurse = make_person(world.wanping_worker, world.areas[WANPING], "杨桐")
    c = services.candidate_apply(
        actor=t, branch=party.branch1, person=nurse, applied_on=_days(800), frontline=True
    )
    services.candidate_advance(actor=t, candidate=c, stage=Stage.ACTIVIST, on=_days(790))
    with pytest.raises(ValidationError) as early:
        services.candidate_advance(actor=t, candidate=c, stage=Stage.OBJECT, on=_days(500),
                                   introducers=party.members[:2])  # fmt: skip
    assert "on" in early.value.message_dict
    with pytest.raises(ValidationError) as one:
        services.candidate_advance(actor=t, candidate=c, stage=Stage.OBJECT, on=_days(420),
                                   introducers=party.members[:1])  # fmt: skip
    assert "introducers" in one.value.message_dict
    services.candidate_advance(actor=t, candidate=c, stage=Stage.OBJECT, on=_days(420),
                               introducers=party.members[:2])  # fmt: skip
    services.candidate_advance(actor=t, candidate=c, stage=Stage.REVIEWED, on=_days(410))
    with pytest.raises(ValidationError) as no_meeting:
        services.candidate_advance(actor=t, candidate=c, stage=Stage.PROBATIONARY, on=_days(400))
    assert "meeting" in no_meeting.value.message_dict
    meeting = services.meeting_record(
        actor=t, branch=party.branch1, held_on=_days(400), form="remote_video", purpose="admit",
        entitled=3, present=3, remote=1, votes_for=3, candidates=[c],
    )  # fmt: skip
    assert meeting.passed
    services.candidate_advance(
        actor=t, candidate=c, stage=Stage.PROBATIONARY, on=_days(400), meeting=meeting
    )
    steps = next_steps(t, party.branch1, timezone.localdate())
    assert [(s.candidate.pk, s.stage, s.due) for s in steps] == [(c.pk, Stage.FULL, True)]
    confirm = services.meeting_record(
        actor=t, branch=party.branch1, held_on=_days(1), form="in_person", purpose="confirm",
        entitled=3, present=3, votes_for=3, candidates=[c],
    )  # fmt: skip
    services.candidate_advance(actor=t, candidate=c, stage=Stage.FULL, on=_days(0), meeting=confirm)
    member = Member.objects.get(person=nurse)
    assert member.branch == party.branch1 and member.joined_on == _days(400)


def test_the_interval_is_the_policys(world: World, party: Party) -> None:
    PolicyVersion.objects.update(party_activist_min_days=30)
    t = party.treasurer
    p = make_person(world.wanping_worker, world.areas[WANPING], "于薇")
    c = services.candidate_apply(actor=t, branch=party.branch1, person=p, applied_on=_days(60))
    services.candidate_advance(actor=t, candidate=c, stage=Stage.ACTIVIST, on=_days(40))
    steps = next_steps(t, party.branch1, timezone.localdate())
    assert steps[0].due and steps[0].earliest == _days(10)


def test_development_over_http_and_scoped(world: World, party: Party) -> None:
    api = world.api(party.treasurer)
    p = make_person(world.wanping_worker, world.areas[WANPING], "王少朋")
    made = api.post(
        "/api/v1/party/candidates/",
        {"branch": party.branch1.pk, "person": p.pk, "applied_on": _days(10).isoformat()},
        format="json",
    )
    assert made.status_code == 201, made.json()
    c = made.json()["id"]
    bad = api.post(f"/api/v1/party/candidates/{c}/advance/",
                   {"stage": "object", "date": _days(5).isoformat()}, format="json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "stage"
    ok = api.post(f"/api/v1/party/candidates/{c}/advance/",
                  {"stage": "activist", "date": _days(5).isoformat()}, format="json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["stage"] == "activist"
    meeting = api.post(
        "/api/v1/party/meetings/",
        {"branch": party.branch1.pk, "held_on": _days(1).isoformat(), "form": "remote_video",
         "purpose": "admit", "entitled": 3, "present": 4, "votes_for": 3, "candidates": [c]},
        format="json",
    )  # fmt: skip
    assert meeting.status_code == 400 and meeting.json()["errors"][0]["field"] == "present"
    due = api.get("/api/v1/party/candidates/due/", {"org": party.community.pk}).json()
    assert [s["next"] for s in due["steps"]] == ["object"] and due["steps"][0]["due"] is False
    zg = world.api(party.zg_treasurer)
    assert zg.get("/api/v1/party/candidates/").json()["results"] == []
    assert zg.post(f"/api/v1/party/candidates/{c}/advance/", {"stage": "object",
                   "date": _days(0).isoformat()}, format="json").status_code == 404  # fmt: skip
    page = world.client(party.treasurer).get(f"/party/orgs/{party.branch1.pk}/development/")
    assert page.status_code == 200 and "王少朋" in page.content.decode()
    assert (
        world.client(party.zg_treasurer)
        .get(f"/party/orgs/{party.branch1.pk}/development/")
        .status_code
        == 404
    )
