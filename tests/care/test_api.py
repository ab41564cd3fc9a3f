"""The whole care story over HTTP: the resident asks through the link's API, 王颖 lists,
takes and closes it with her token, the resident reads 已完成; care calls over the API;
bad input names the field, a closed request answers 409, another community 404."""

from __future__ import annotations

import time_machine

from fangkong.care.models import CareCall, CareRequest
from tests.care.conftest import TODAY, Care, at
from tests.conftest import World


def test_the_whole_story_over_http(world: World, care: Care) -> None:
    from rest_framework.test import APIClient

    observation = care.zhenguosi[0]
    token = care.token(observation)
    resident = APIClient()
    raised = resident.post(
        f"/api/v1/care/self-requests/{token}/",
        {"kind": "medicine", "detail": "布洛芬"},
        format="json",
    )
    assert raised.status_code == 201, raised.content
    pk = raised.json()["id"]
    assert raised.json()["status"] == "new"

    wang = world.api(care.wang_ying)
    listed = wang.get("/api/v1/care/requests/").json()["results"]
    assert [(r["id"], r["area"], r["overdue"]) for r in listed] == [(pk, "110106015001", False)]
    assert listed[0]["name"].startswith("刘") and "一" not in listed[0]["name"]
    taken = wang.post(f"/api/v1/care/requests/{pk}/take/", {}, format="json")
    assert taken.status_code == 200 and taken.json()["status"] == "taken"
    assert taken.json()["assignee"] == "wang_ying"
    assert resident.get(f"/api/v1/care/self-requests/{token}/").json()[0]["status"] == "taken"
    done = wang.post(f"/api/v1/care/requests/{pk}/close/", {"done": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert resident.get(f"/api/v1/care/self-requests/{token}/").json()[0]["status"] == "done"
    again = wang.post(f"/api/v1/care/requests/{pk}/close/", {"done": True}, format="json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "status"


def test_care_calls_over_http(world: World, care: Care) -> None:
    wang = world.api(care.wang_ying)
    listed = wang.get("/api/v1/care/calls/").json()["results"]
    assert {row["observation"] for row in listed} == {o.pk for o in care.zhenguosi}
    made = wang.post(
        "/api/v1/care/calls/",
        {
            "observation": care.zhenguosi[1].pk,
            "outcome": "needs",
            "needs": "买菜",
            "request_kind": "shopping",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert len(made.json()["requests"]) == 1
    todo = wang.get("/api/v1/care/calls/?todo=1").json()["results"]
    assert care.zhenguosi[1].pk not in {row["observation"] for row in todo}
    with time_machine.travel(at(TODAY, 12, 30), tick=False):
        overdue = wang.get("/api/v1/care/requests/?state=overdue").json()["results"]
        assert overdue == []  # shopping: 24 hours
    raised = wang.post(
        "/api/v1/care/requests/",
        {"observation": care.zhenguosi[2].pk, "kind": "takeaway"},
        format="json",
    ).json()
    with time_machine.travel(at(TODAY, 12, 30), tick=False):
        overdue = wang.get("/api/v1/care/requests/?state=overdue").json()["results"]
        assert [r["id"] for r in overdue] == [raised["id"]]


def test_bad_input_names_the_field_and_writes_nothing(world: World, care: Care) -> None:
    wang = world.api(care.wang_ying)
    cases = [
        (
            "/api/v1/care/calls/",
            {"observation": care.zhenguosi[0].pk, "outcome": "fine"},
            "outcome",
        ),
        ("/api/v1/care/calls/", {"observation": care.wanping.pk, "outcome": "well"}, "observation"),
        ("/api/v1/care/requests/", {"observation": care.zhenguosi[0].pk, "kind": "x"}, "kind"),
        ("/api/v1/care/requests/", {"kind": "medicine"}, "observation"),
    ]
    for url, body, field in cases:
        answer = wang.post(url, body, format="json")
        assert answer.status_code == 400, (url, body, answer.content)
        assert answer.json()["errors"][0]["field"] == field
    assert wang.get("/api/v1/care/requests/?state=nonsense").status_code == 400
    token = care.token(care.zhenguosi[0])
    from rest_framework.test import APIClient

    resident = APIClient()
    assert (
        resident.post(f"/api/v1/care/self-requests/{token}/", {}, format="json").status_code == 400
    )
    forged = resident.get(f"/api/v1/care/self-requests/{token[:-2]}zz/")
    assert forged.status_code == 400 and forged.json()["errors"][0]["field"] == "token"
    assert CareCall.objects.count() == 0 and CareRequest.objects.count() == 0


def test_another_community_gets_404_and_a_guard_403(world: World, care: Care) -> None:
    request = (
        world.api(care.wang_ying)
        .post(
            "/api/v1/care/requests/",
            {"observation": care.zhenguosi[0].pk, "kind": "rubbish"},
            format="json",
        )
        .json()
    )
    wanping = world.api(world.wanping_worker)
    assert (
        wanping.post(f"/api/v1/care/requests/{request['id']}/take/", {}, format="json").status_code
        == 404
    )
    assert wanping.get("/api/v1/care/calls/").json()["results"] == [
        {
            "household": f"o{care.wanping.pk}",  # no address: the person on their own line
            "observation": care.wanping.pk,
            "name": care.wanping.person.masked_name,
            "area": "110106014001",
            "address": None,
            "last_day": str(care.wanping.last_day),
            "call_outcome": None,
            "called": None,
            "calls_today": 0,
            "open_requests": 0,
            "members": [
                {
                    "observation": care.wanping.pk,
                    "name": care.wanping.person.masked_name,
                    "last_day": str(care.wanping.last_day),
                    "call_outcome": None,
                    "open_requests": 0,
                }
            ],
        }
    ]
    guard = world.api(world.guard)
    assert guard.get("/api/v1/care/requests/").status_code == 403
    assert (
        guard.post(f"/api/v1/care/requests/{request['id']}/take/", {}, format="json").status_code
        == 403
    )
    assert CareRequest.objects.get().status == "new"
