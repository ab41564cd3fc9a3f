"""Today's care-call list: everyone under observation the account may see, the day's
outcome, 拨打 through contacts (revealed to the caller, audited), a call that brings a
request; the figures of the day and the demo."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.care.demo import load_demo
from fangkong.care.figures import FIGURE_SET
from fangkong.care.models import CareCall, CareRequest
from fangkong.care.services import call_record, request_close, request_raise
from fangkong.core.figures import Span
from tests.care.conftest import TODAY, Care, at
from tests.conftest import World


def test_the_list_has_everyone_under_observation_and_todays_outcome(
    world: World, care: Care
) -> None:
    first, second, third = care.zhenguosi
    call_record(actor=care.wang_ying, observation=first, outcome="well", note="36.5")
    call_record(actor=care.wang_ying, observation=second, outcome="no_answer")
    client = world.client(care.wang_ying)
    html = client.get("/care/").content.decode()
    for observation in care.zhenguosi:
        assert f'data-observation="{observation.pk}"' in html
    assert f'data-observation="{care.wanping.pk}"' not in html
    assert f'data-observation="{first.pk}" data-outcome="well"' in html
    todo = client.get("/care/?todo=1").content.decode()
    assert f'data-observation="{first.pk}"' not in todo
    assert f'data-observation="{second.pk}"' in todo and f'data-observation="{third.pk}"' in todo


def test_a_call_that_brings_a_request_raises_it_in_the_same_write(world: World, care: Care) -> None:
    client = world.client(care.wang_ying)
    observation = care.zhenguosi[0]
    answer = client.post(
        f"/care/households/{observation.pk}/call/",
        {"outcome": "needs", "needs": "降压药快吃完了", "request_kind": "medicine"},
    )
    assert answer.status_code == 302
    call = CareCall.objects.get()
    request = CareRequest.objects.get()
    assert request.call == call and request.detail == "降压药快吃完了" and not request.by_self
    with pytest.raises(ValidationError) as error:
        call_record(
            actor=care.wang_ying, observation=observation, outcome="no_answer", request_kind="other"
        )
    assert "request_kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        call_record(actor=care.wang_ying, observation=observation, outcome="fine")
    assert "outcome" in error.value.message_dict
    assert CareCall.objects.count() == 1 and CareRequest.objects.count() == 1
    household = client.get(f"/care/households/{observation.pk}/").content.decode()
    assert "降压药快吃完了" in household


def test_dialling_reveals_the_number_to_the_caller_and_audits_it(world: World, care: Care) -> None:
    observation = care.zhenguosi[0]
    answer = world.client(care.wang_ying).post(f"/contacts/call/care_call/{observation.pk}/")
    assert answer.status_code == 200
    assert "tel:+86" in answer.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.VIEW_RECORD)
    assert "关怀电话" in event.detail and event.actor == care.wang_ying
    wanping = world.client(world.wanping_worker)
    assert wanping.post(f"/contacts/call/care_call/{observation.pk}/").status_code == 404
    guard = world.client(world.guard)
    assert guard.post(f"/contacts/call/care_call/{care.wanping.pk}/").status_code == 403


def test_another_community_sees_nothing_of_the_list(world: World, care: Care) -> None:
    call_record(actor=care.wang_ying, observation=care.zhenguosi[0], outcome="well")
    client = world.client(world.wanping_worker)
    html = client.get("/care/").content.decode()
    assert all(f'data-observation="{o.pk}"' not in html for o in care.zhenguosi)
    assert client.get(f"/care/households/{care.zhenguosi[0].pk}/").status_code == 404
    post = client.post(f"/care/households/{care.zhenguosi[0].pk}/call/", {"outcome": "well"})
    assert post.status_code == 404
    assert CareCall.objects.count() == 1


def test_the_days_figures(world: World, care: Care) -> None:
    first, second, _third = care.zhenguosi
    call_record(actor=care.wang_ying, observation=first, outcome="well")
    call_record(actor=care.wang_ying, observation=second, outcome="no_answer")
    done = request_raise(actor=care.wang_ying, observation=first, kind="delivery")
    request_close(actor=care.wang_ying, request=done, done=True)
    request_raise(actor=care.wang_ying, observation=second, kind="medicine")
    span = Span(on=TODAY, start=at(TODAY, 0), end=at(TODAY, 0) + timezone.timedelta(days=1))
    totals: dict[str, Any] = {}
    for _area, key, n in FIGURE_SET.count(span):
        totals[key] = n if isinstance(n, dict) else totals.get(key, 0) + n
    assert totals == {
        "care_calls": 1,
        "care_requests": 2,
        "care_done": 1,
        "care_overdue": 1,
        "care_done_minutes": {"0": 1},  # raised and done within the minute
    }


def test_the_demo_at_zhenguosi(world: World, care: Care) -> None:
    from fangkong.accounts.demo import load_demo_accounts

    load_demo_accounts()
    summary = load_demo()
    assert "3 care calls" in summary and "(1 overdue)" in summary
    statuses = set(CareRequest.objects.values_list("status", flat=True))
    assert statuses == {"new", "taken", "done", "failed"}
    assert load_demo().startswith("demo care (already there)")
    from fangkong.accounts.models import User

    workers = User.objects.filter(area__code="110106015001", role="community_worker")
    assert workers.count() == 10  # “我们十名社区干部”


def test_the_days_summary_gives_the_median_hours_to_done(world: World, care: Care) -> None:
    import time_machine

    wang = care.wang_ying
    first = request_raise(actor=wang, observation=care.zhenguosi[0], kind="delivery")
    second = request_raise(actor=wang, observation=care.zhenguosi[1], kind="shopping")
    third = request_raise(actor=wang, observation=care.zhenguosi[2], kind="shopping")
    with time_machine.travel(at(TODAY, 11), tick=False):
        request_close(actor=wang, request=first, done=True)
    with time_machine.travel(at(TODAY, 13), tick=False):
        request_close(actor=wang, request=second, done=True)
    with time_machine.travel(at(TODAY, 16), tick=False):
        request_close(actor=wang, request=third, done=True)
        summary = world.api(wang).get("/api/v1/care/summary/").json()
    assert summary == {
        "date": "2020-03-04",
        "calls": 0,
        "raised": 3,
        "done": 3,
        "overdue": 0,
        "median_hours_to_done": 3.0,
    }
    assert world.api(wang).get("/api/v1/care/summary/?date=x").status_code == 400
    other = world.api(world.wanping_worker).get("/api/v1/care/summary/").json()
    assert other["raised"] == 0 and other["median_hours_to_done"] is None


def test_todays_daily_figures_follow_the_care_written(world: World, care: Care) -> None:
    wang = care.wang_ying
    api = world.api(world.zhenguosi_worker)
    url = "/api/v1/reports/daily/?area=110106015001&date=2020-03-04"
    request_raise(actor=wang, observation=care.zhenguosi[0], kind="medicine")
    assert api.get(url).json()["figures"]["care_requests"] == 1
    done = request_raise(actor=wang, observation=care.zhenguosi[1], kind="delivery")
    request_close(actor=wang, request=done, done=True)
    call_record(actor=wang, observation=care.zhenguosi[2], outcome="well")
    figures = api.get(url).json()["figures"]
    assert (figures["care_requests"], figures["care_done"], figures["care_calls"]) == (2, 1, 1)
