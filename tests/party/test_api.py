"""The whole story over HTTP: organisations and members, donations recorded and reversed,
batches sent and received, the summary and reconciliation contracts — amounts always
strings; a number, "1e2", "12.345", "-5" or "0" is 400 naming the field; scoped."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from fangkong.party.models import Donation, Remittance
from tests.conftest import WANPING, World
from tests.factories import make_person
from tests.party.conftest import Party


def _api(world: World, user: Any) -> Any:
    return world.api(user)


def test_the_whole_story_over_http(world: World, party: Party) -> None:
    t = _api(world, party.treasurer)
    # A new branch and a member, over the API.
    made = t.post(
        "/api/v1/party/orgs/",
        {"name": "第三党支部", "kind": "branch", "parent": party.community.pk, "area": WANPING,
         "treasurer": "wanping_treasurer"},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    branch = made.json()["id"]
    person = make_person(world.wanping_worker, world.areas[WANPING], "王凡")
    member = t.post(
        "/api/v1/party/members/", {"branch": branch, "person": person.pk}, format="json"
    )
    assert member.status_code == 201, member.json()
    m = member.json()["id"]
    gifts = [("500", True), ("0.01", False), ("100.00", False), ("88.88", False)]
    ids = []
    for amount, above in gifts:
        r = t.post(
            "/api/v1/donations/",
            {"member": m, "amount": amount, "channel": "transfer"},
            format="json",
        )
        assert r.status_code == 201, r.json()
        assert r.json()["above_suggested"] is above
        assert isinstance(r.json()["amount"], str)
        ids.append(r.json()["id"])
    undo = t.post(f"/api/v1/donations/{ids[3]}/reverse/", {"note": "记错了"}, format="json")
    assert undo.status_code == 201 and undo.json()["amount"] == "-88.88"
    today = timezone.localdate().isoformat()
    summary = t.get("/api/v1/donations/summary/", {"org": party.community.pk, "date": today})
    assert summary.status_code == 200
    body = summary.json()
    assert body["donors"] == 1 and body["amount"] == "600.01" and body["members"] == 6
    assert [c["amount"] for c in body["children"]] == ["0.00", "0.00", "600.01"]
    sent = t.post(
        "/api/v1/donations/remittances/", {"org": branch, "amount": "600.01"}, format="json"
    )
    assert sent.status_code == 201, sent.json()
    batch = sent.json()["id"]
    pending = t.get("/api/v1/donations/remittances/", {"pending": "1"}).json()
    assert [b["id"] for b in pending["results"]] == [batch]
    recon = t.get("/api/v1/donations/reconciliation/", {"org": party.community.pk}).json()
    assert recon["differences"] == 1
    community = next(lv for lv in recon["levels"] if lv["org"] == party.community.pk)
    assert community["differences"][0]["kind"] == "not_received"
    assert community["differences"][0]["sent"] == "600.01"
    got = t.post(
        f"/api/v1/donations/remittances/{batch}/receive/",
        {"received_amount": "600.01"},
        format="json",
    )
    assert got.status_code == 200 and got.json()["received_amount"] == "600.01"
    again = t.post(f"/api/v1/donations/remittances/{batch}/receive/", {}, format="json")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_received"
    up = t.post(
        "/api/v1/donations/remittances/",
        {"org": party.community.pk, "amount": "600.02"},
        format="json",
    )
    assert up.status_code == 409 and up.json()["errors"][0]["field"] == "amount"
    up = t.post(
        "/api/v1/donations/remittances/",
        {"org": party.community.pk, "amount": "600.01"},
        format="json",
    )
    assert up.status_code == 201
    s = _api(world, party.street_treasurer)
    assert (
        s.post(
            f"/api/v1/donations/remittances/{up.json()['id']}/receive/", {}, format="json"
        ).status_code
        == 200
    )
    recon = s.get("/api/v1/donations/reconciliation/", {"org": party.working.pk}).json()
    assert recon["differences"] == 0
    working = next(lv for lv in recon["levels"] if lv["org"] == party.working.pk)
    assert working["received"] == "600.01" and working["held"] == "600.01"


@pytest.mark.parametrize("bad", ["1e2", "12.345", "-5", "0", 12.5, 100, "", None])
def test_bad_amounts_are_400_naming_amount(world: World, party: Party, bad: Any) -> None:
    r = _api(world, party.treasurer).post(
        "/api/v1/donations/",
        {"member": party.members[0].pk, "amount": bad, "channel": "cash"},
        format="json",
    )
    assert r.status_code == 400, r.json()
    assert [e["field"] for e in r.json()["errors"]] == ["amount"]
    assert Donation.objects.count() == 0


def test_a_float_for_a_batch_is_refused_too(world: World, party: Party) -> None:
    r = _api(world, party.treasurer).post(
        "/api/v1/donations/remittances/", {"org": party.branch1.pk, "amount": 0.1}, format="json"
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "amount"
    assert Remittance.objects.count() == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "org"),
        ({"org": "x"}, "org"),
        ({"org": "999999"}, "org"),
        ({"org": "1", "date": "2020-02-30"}, "date"),
    ],
)
def test_summary_400_names_the_parameter(
    world: World, party: Party, params: dict[str, str], field: str
) -> None:
    if params.get("org") == "1":
        params = {**params, "org": str(party.community.pk)}
    r = _api(world, party.treasurer).get("/api/v1/donations/summary/", params)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == field
    r = _api(world, party.treasurer).get(
        "/api/v1/donations/reconciliation/", {k: v for k, v in params.items() if k == "org"}
    )
    assert r.status_code in (200, 400)


def test_another_communitys_treasurer_sees_nothing(world: World, party: Party) -> None:
    t = _api(world, party.treasurer)
    d = t.post(
        "/api/v1/donations/", {"member": party.members[0].pk, "amount": "50", "channel": "cash"},
        format="json",
    ).json()  # fmt: skip
    b = t.post(
        "/api/v1/donations/remittances/", {"org": party.branch1.pk, "amount": "50"}, format="json"
    ).json()
    zg = _api(world, party.zg_treasurer)
    assert [o["name"] for o in zg.get("/api/v1/party/orgs/").json()] == [
        "镇国寺社区党委",
        "镇国寺第一党支部",
    ]
    assert [m["name"] for m in zg.get("/api/v1/party/members/").json()["results"]] == ["镇国寺党员"]
    assert zg.get("/api/v1/donations/").json()["results"] == []
    assert zg.get("/api/v1/donations/remittances/").json()["results"] == []
    for url in ("/api/v1/donations/summary/", "/api/v1/donations/reconciliation/"):
        r = zg.get(url, {"org": party.community.pk})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "org"
    assert (
        zg.post(f"/api/v1/donations/{d['id']}/reverse/", {"note": "x"}, format="json").status_code
        == 404
    )
    assert (
        zg.post(f"/api/v1/donations/remittances/{b['id']}/receive/", {}, format="json").status_code
        == 404
    )
    r = zg.post(
        "/api/v1/donations/", {"member": party.members[0].pk, "amount": "50", "channel": "cash"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "member"


def test_officers_read_but_do_not_record(world: World, party: Party) -> None:
    officer = _api(world, world.district_officer)
    assert officer.get("/api/v1/donations/summary/", {"org": party.district.pk}).status_code == 200
    r = officer.post(
        "/api/v1/donations/", {"member": party.members[0].pk, "amount": "50", "channel": "cash"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 403
    assert _api(world, world.wanping_worker).get("/api/v1/donations/").status_code == 403


def test_a_treasurer_is_named_per_organisation(world: World, party: Party) -> None:
    admin = world.api(world.admin)
    url = f"/api/v1/party/orgs/{party.branch2.pk}/treasurer/"
    r = admin.post(url, {"treasurer": "wanping_treasurer"}, format="json")
    assert r.status_code == 200 and r.json()["treasurer"] == "wanping_treasurer"
    r = admin.post(url, {"treasurer": "zhenguosi_treasurer"}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "treasurer"
    r = admin.post(url, {"treasurer": "nobody"}, format="json")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "treasurer"
    zg = world.api(party.zg_treasurer).post(url, {"treasurer": ""}, format="json")
    assert zg.status_code == 404
