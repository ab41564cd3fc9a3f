"""Policy versions: a district officer drafts, changes, publishes; published never change;
decisions name the version in force on their day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fangkong.audit.models import AuditEvent
from fangkong.policy.models import PolicyStatus, PolicyVersion
from fangkong.policy.services import policy_seed_2020
from tests.conftest import WANPING_ZONE, World, make_account
from tests.factories import valid_id, valid_mobile

SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2020, 3, 2)
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH), tick=False):
        yield


@pytest.fixture
def seeded(world: World) -> World:
    policy_seed_2020()
    return world


def _draft(world: World) -> dict[str, Any]:
    response = world.api(world.district_officer).post("/api/v1/policies/", {}, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def _rules(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: r[k] for k in ("region_code", "region_name", "risk")} for r in body["origin_rules"]]


def test_a_draft_copies_the_version_in_force_and_applies_to_nothing(seeded: World) -> None:
    draft = _draft(seeded)
    in_force = seeded.api(seeded.guard).get("/api/v1/policies/in-force/").json()
    assert draft["status"] == "draft" and draft["effective_from"] is None
    assert draft["based_on"] == in_force["id"]
    assert draft["observation_days"] == 14 and _rules(draft) == _rules(in_force)
    # Nobody but those who may publish sees it; it is in force nowhere.
    worker = seeded.api(seeded.wanping_worker)
    assert draft["id"] not in [p["id"] for p in worker.get("/api/v1/policies/").json()]
    assert worker.get(f"/api/v1/policies/{draft['id']}/").status_code == 404
    assert seeded.api(seeded.guard).get("/api/v1/policies/in-force/").json()["id"] != draft["id"]


def test_only_district_officers_draft_and_publish(seeded: World) -> None:
    for user in (seeded.wanping_worker, seeded.wanping_officer, seeded.guard):
        assert seeded.api(user).post("/api/v1/policies/", {}, format="json").status_code == 403
    draft = _draft(seeded)
    response = seeded.api(seeded.wanping_officer).post(
        f"/api/v1/policies/{draft['id']}/publish/", {"effective_from": "2020-03-03"}, format="json"
    )
    assert response.status_code in (403, 404)


def test_published_tomorrow_a_notice_decided_tomorrow_uses_it(seeded: World) -> None:
    api = seeded.api(seeded.district_officer)
    draft = _draft(seeded)
    rules = [*_rules(draft), {"region_code": "130000", "region_name": "河北省", "risk": "observe"}]
    for rule in rules:
        if rule["region_code"] == "130000":
            rule["observation_days"] = 21
    changed = api.patch(
        f"/api/v1/policies/{draft['id']}/",
        {"fever_threshold": "37.2", "label": "2020 年 3 月修订", "origin_rules": rules},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    published = api.post(
        f"/api/v1/policies/{draft['id']}/publish/", {"effective_from": "2020-03-03"}, format="json"
    )
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    diff = api.get(f"/api/v1/policies/{draft['id']}/diff/").json()
    assert diff["previous"] == draft["based_on"]
    assert {"what": "发热线（°C）", "before": "37.3", "after": "37.2"} in diff["differences"]
    assert any("河北省" in d["what"] and "21" in d["after"] for d in diff["differences"])

    def notice(planned_on: str, start: int) -> dict[str, Any]:
        body = {
            "area": WANPING_ZONE,
            "filed_by": "returnee",
            "filer_name": "李明",
            "filer_phone": "13800002001",
            "origin_code": "130000",
            "planned_on": planned_on,
            "mode": "home",
            "building": "城内街12号院",
            "room": "西厢房",
            "people": [
                {
                    "name": "李明",
                    "document_type": "resident_id",
                    "document_number": valid_id(start, region="130602"),
                    "phone": valid_mobile(start),
                }
            ],
        }
        response = seeded.api(seeded.wanping_worker).post(
            "/api/v1/arrival-notices/", body, format="json"
        )
        assert response.status_code == 201, response.json()
        return dict(response.json())

    today = notice("2020-03-02", 700)
    tomorrow = notice("2020-03-03", 701)
    assert today["policy"]["id"] == draft["based_on"] and today["observation_days"] == 14
    assert tomorrow["policy"]["id"] == draft["id"] and tomorrow["observation_days"] == 21
    # Today's gates still use today's threshold; the versions keep what they said.
    assert str(PolicyVersion.objects.get(pk=draft["based_on"]).fever_threshold) == "37.3"


def test_a_published_version_never_changes(seeded: World) -> None:
    api = seeded.api(seeded.district_officer)
    in_force = api.get("/api/v1/policies/in-force/").json()
    for response in (
        api.patch(f"/api/v1/policies/{in_force['id']}/", {"observation_days": 7}, format="json"),
        api.delete(f"/api/v1/policies/{in_force['id']}/"),
        api.post(
            f"/api/v1/policies/{in_force['id']}/publish/",
            {"effective_from": "2020-03-09"},
            format="json",
        ),
    ):
        assert response.status_code == 409
        assert response.json()["errors"][0]["code"] == "published"
    assert api.get("/api/v1/policies/in-force/").json() == in_force


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"effective_from": "2020-03-01"}, "effective_from", "past"),
        ({"effective_from": "2020-01-24"}, "effective_from", "past"),
        ({}, "effective_from", "required"),
        ({"effective_from": "soon"}, "effective_from", "invalid"),
    ],
)
def test_a_bad_publication_is_refused_and_leaves_the_draft(
    seeded: World, body: dict[str, str], field: str, code: str
) -> None:
    draft = _draft(seeded)
    response = seeded.api(seeded.district_officer).post(
        f"/api/v1/policies/{draft['id']}/publish/", body, format="json"
    )
    assert response.status_code == 400
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        field,
        code,
    )
    assert PolicyVersion.objects.get(pk=draft["id"]).status == PolicyStatus.DRAFT


def test_bad_rules_name_the_row_and_change_nothing(seeded: World) -> None:
    api = seeded.api(seeded.district_officer)
    draft = _draft(seeded)
    no_elsewhere = [r for r in _rules(draft) if r["region_code"] != "*"]
    response = api.patch(
        f"/api/v1/policies/{draft['id']}/",
        {"observation_days": 10, "origin_rules": no_elsewhere},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "origin_rules"
    kept = api.get(f"/api/v1/policies/{draft['id']}/").json()
    assert kept["observation_days"] == 14 and len(kept["origin_rules"]) == 3
    duplicate = [*_rules(draft), _rules(draft)[0]]
    response = api.patch(
        f"/api/v1/policies/{draft['id']}/", {"origin_rules": duplicate}, format="json"
    )
    assert response.json()["errors"][0]["field"] == "origin_rules.3.region_code"


def test_every_step_is_audited(seeded: World) -> None:
    api = seeded.api(seeded.district_officer)
    draft = _draft(seeded)
    api.patch(f"/api/v1/policies/{draft['id']}/", {"observation_days": 10}, format="json")
    api.post(
        f"/api/v1/policies/{draft['id']}/publish/", {"effective_from": "2020-03-10"}, format="json"
    )
    details = list(
        AuditEvent.objects.filter(actor=seeded.district_officer, object_id=str(draft["id"]))
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert len(details) == 3
    assert "起草" in details[0] and "observation_days" in details[1] and "发布" in details[2]


def test_the_pages_draft_change_and_publish(seeded: World) -> None:
    page = seeded.client(seeded.district_officer)
    assert "起草新版本" in page.get("/policy/").content.decode()
    assert "起草新版本" not in seeded.client(seeded.wanping_worker).get("/policy/").content.decode()
    created = page.post("/policy/new/")
    assert created.status_code == 302
    draft = PolicyVersion.objects.get(status=PolicyStatus.DRAFT)
    form = page.get(created["Location"]).context
    data: dict[str, Any] = {
        f"draft-{name}": value
        for name, value in form["form"].initial.items()
        if name in form["form"].fields and value is not None
    }
    data["draft-fever_threshold"] = "37.2"
    data["draft-underground_bunk_beds_allowed"] = ""
    rows = form["rules"].initial
    data |= {"rules-TOTAL_FORMS": str(len(rows) + 1), "rules-INITIAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"rules-{i}-{key}"] = "" if value is None else value
    data[f"rules-{len(rows)}-risk"] = "observe"
    saved = page.post(f"/policy/{draft.pk}/", data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    shown = page.get(f"/policy/{draft.pk}/").content.decode()
    assert 'data-testid="diff"' in shown and "37.2" in shown
    published = page.post(f"/policy/{draft.pk}/publish/", {"publish-effective_from": "2020-03-03"})
    assert published.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PolicyStatus.PUBLISHED and draft.effective_from == TOMORROW
    assert "修改草稿" not in page.get(f"/policy/{draft.pk}/").content.decode()
    # A worker of a community cannot reach the draft pages.
    other = make_account("wp_worker_2", "community_worker", "110106014001")
    assert seeded.client(other).post("/policy/new/").status_code == 403
