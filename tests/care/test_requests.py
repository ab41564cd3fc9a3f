"""我需要帮助: a resident asks on the phone page and sees the status change; the request
lands in the community of that observation and nowhere else; deadlines by kind from the
policy; overdue on the 工作台 until done; 无法完成 needs a why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.audit.models import AuditEvent
from fangkong.care.models import CareRequest, RequestStatus
from fangkong.care.services import request_close, request_raise, request_take
from fangkong.core.errors import Conflict
from fangkong.policy.models import PolicyVersion
from fangkong.site.workbench import work_items
from tests.care.conftest import TODAY, Care, at
from tests.conftest import ZHENGUOSI, World


def _status_on_page(client, token: str) -> list[str]:  # type: ignore[no-untyped-def]
    html = client.get(f"/r/report/{token}/").content.decode()
    return re.findall(r'data-status="(\w+)"', html)


def test_it_lets_a_resident_ask_for_help_and_see_the_status_change(
    world: World, care: Care
) -> None:
    observation = care.zhenguosi[0]
    token = care.token(observation)
    resident = world.client(world.admin)
    resident.logout()
    page = resident.get(f"/r/report/{token}/")
    assert "我需要帮助" in page.content.decode()
    assert 'name="kind" value="medicine"' in page.content.decode()

    sent = resident.post(f"/r/help/{token}/", {"kind": "medicine", "detail": "布洛芬"})
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"/r/report/{token}/?help=1#help")
    request = CareRequest.objects.get()
    assert request.area.code == ZHENGUOSI
    assert request.observation == observation and request.by_self
    assert request.due_at == at(TODAY, 12)  # medicine: the policy's 2 hours
    assert "已收到您的求助" in resident.get(sent["Location"]).content.decode()
    assert _status_on_page(resident, token) == ["new"]

    request_take(actor=care.wang_ying, request=request)
    assert _status_on_page(resident, token) == ["taken"]
    request_close(actor=care.wang_ying, request=request, done=True)
    assert _status_on_page(resident, token) == ["done"]
    assert "已完成" in resident.get(f"/r/report/{token}/").content.decode()


def test_it_refuses_bad_input_from_the_phone_page_naming_the_field(
    world: World, care: Care
) -> None:
    token = care.token(care.zhenguosi[0])
    client = world.client(world.admin)
    client.logout()
    nothing = client.post(f"/r/help/{token}/", {"kind": ""})
    assert nothing.status_code == 400
    assert 'data-error-for="kind"' in nothing.content.decode()
    other = client.post(f"/r/help/{token}/", {"kind": "other", "detail": " "})
    assert other.status_code == 400
    assert 'data-error-for="detail"' in other.content.decode()
    forged = client.post(f"/r/help/{token[:-3]}abc/", {"kind": "medicine"})
    assert forged.status_code == 400
    assert CareRequest.objects.count() == 0


def test_a_residents_request_lands_in_their_community_and_nowhere_else(
    world: World, care: Care
) -> None:
    client = world.client(world.admin)
    client.logout()
    client.post(f"/r/help/{care.token(care.zhenguosi[1])}/", {"kind": "shopping"})
    request = CareRequest.objects.get()
    zhenguosi = world.client(world.zhenguosi_worker).get("/care/requests/")
    assert f'data-request="{request.pk}"' in zhenguosi.content.decode()
    wanping = world.client(world.wanping_worker)
    assert f'data-request="{request.pk}"' not in wanping.get("/care/requests/").content.decode()
    assert wanping.post(f"/care/requests/{request.pk}/take/").status_code == 404
    assert world.api(world.wanping_worker).get("/api/v1/care/requests/").json()["results"] == []
    with pytest.raises(PermissionDenied):
        request_take(actor=world.wanping_worker, request=request)
    assert CareRequest.objects.get().status == RequestStatus.NEW
    # The street officer above 宛平城 sees nothing of 镇国寺 either; the district sees it.
    assert world.api(world.wanping_officer).get("/api/v1/care/requests/").json()["results"] == []
    district = world.api(world.district_officer).get("/api/v1/care/requests/").json()
    assert [r["id"] for r in district["results"]] == [request.pk]


def _overdue_item(world: World, user) -> int:  # type: ignore[no-untyped-def]
    for item in work_items(user, TODAY):
        if item.url.endswith("state=overdue"):
            return item.count
    return 0


def test_a_request_past_its_policy_deadline_is_overdue_on_the_workbench_until_done(
    world: World, care: Care
) -> None:
    medicine = request_raise(actor=care.wang_ying, observation=care.zhenguosi[0], kind="medicine")
    rubbish = request_raise(actor=care.wang_ying, observation=care.zhenguosi[1], kind="rubbish")
    assert rubbish.due_at == at(TODAY + dt.timedelta(days=1), 10)  # the other kinds: 24 hours
    assert _overdue_item(world, care.wang_ying) == 0
    with time_machine.travel(at(TODAY, 12, 1), tick=False):
        assert medicine.overdue and not rubbish.overdue
        assert _overdue_item(world, care.wang_ying) == 1
        items = work_items(care.wang_ying, TODAY)
        assert items[0].url.endswith("state=overdue") and items[0].urgent  # at the top
        page = world.client(care.wang_ying).get("/care/requests/?state=overdue")
        assert f'data-request="{medicine.pk}"' in page.content.decode()
        assert _overdue_item(world, world.wanping_worker) == 0
        request_close(actor=care.wang_ying, request=medicine, done=True)
        assert _overdue_item(world, care.wang_ying) == 0


def test_the_deadline_comes_from_the_policy_in_force(world: World, care: Care) -> None:
    PolicyVersion.objects.update(care_urgent_hours=4, care_request_hours=48)
    medicine = request_raise(actor=care.wang_ying, observation=care.zhenguosi[0], kind="medicine")
    other = request_raise(actor=care.wang_ying, observation=care.zhenguosi[0], kind="other")
    assert medicine.due_at == at(TODAY, 14)
    assert other.due_at == at(TODAY + dt.timedelta(days=2), 10)


def test_it_hands_a_request_to_a_colleague_or_a_volunteer_and_audits_it(
    world: World, care: Care
) -> None:
    request = request_raise(actor=care.wang_ying, observation=care.zhenguosi[0], kind="delivery")
    taken = request_take(actor=care.wang_ying, request=request, assignee=world.zhenguosi_worker)
    assert taken.assignee == world.zhenguosi_worker and taken.status == RequestStatus.TAKEN
    taken = request_take(actor=care.wang_ying, request=request, volunteer="小区志愿者王师傅")
    assert taken.handler == "小区志愿者王师傅"
    with pytest.raises(ValidationError) as error:
        request_take(actor=care.wang_ying, request=request, assignee=world.wanping_worker)
    assert "assignee" in error.value.message_dict
    assert (
        AuditEvent.objects.filter(object_type="care.carerequest", object_id=str(request.pk)).count()
        == 3
    )


def test_not_possible_needs_a_why_and_a_closed_request_stays_closed(
    world: World, care: Care
) -> None:
    request = request_raise(actor=care.wang_ying, observation=care.zhenguosi[0], kind="rubbish")
    with pytest.raises(ValidationError) as error:
        request_close(actor=care.wang_ying, request=request, done=False, outcome="  ")
    assert "outcome" in error.value.message_dict
    request_close(actor=care.wang_ying, request=request, done=False, outcome="物业不收大件")
    assert CareRequest.objects.get().status == RequestStatus.FAILED
    with pytest.raises(Conflict):
        request_close(actor=care.wang_ying, request=request, done=True)


def test_the_requests_page_takes_and_closes_with_one_tap(world: World, care: Care) -> None:
    request = request_raise(
        actor=world.zhenguosi_worker, observation=care.zhenguosi[2], kind="takeaway"
    )
    client = world.client(care.wang_ying)
    assert client.post(f"/care/requests/{request.pk}/take/").status_code == 302
    assert CareRequest.objects.get().assignee == care.wang_ying
    client.post(f"/care/requests/{request.pk}/close/", {"done": "0", "outcome": ""})
    assert CareRequest.objects.get().status == RequestStatus.TAKEN  # no why: refused
    client.post(f"/care/requests/{request.pk}/close/", {"done": "1"})
    assert CareRequest.objects.get().status == RequestStatus.DONE
    mine = client.get("/care/requests/?state=done")
    assert f'data-request="{request.pk}"' in mine.content.decode()
