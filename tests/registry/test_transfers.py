"""A person who moves between communities is handed over, not rewritten: the community
where they now live asks, the one holding the record accepts or refuses, and each side
writes only in its own jurisdiction."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fangkong.audit.models import AuditEvent
from fangkong.registry.models import Person, Residence, Transfer, TransferStatus
from fangkong.site.workbench import work_items
from tests.conftest import WANPING_ZONE, ZHENGUOSI, World
from tests.factories import make_person, valid_id


@pytest.fixture
def resident(world: World) -> Person:
    return make_person(
        world.zhenguosi_worker,
        world.areas[ZHENGUOSI],
        "镇国寺居民",
        building="3号楼",
        room="201",
        document_number=valid_id(920),
    )


def ask(world: World, **overrides: Any) -> Any:
    body = {
        "document_type": "resident_id",
        "document_number": valid_id(920),
        "to_area": WANPING_ZONE,
        "reason": "已搬到城内街租住",
        "building": "城内街12号院",
        "room": "南屋",
        **overrides,
    }
    return world.api(world.wanping_worker).post("/api/v1/transfers/", body, format="json")


def test_the_holder_accepts_and_the_record_moves_with_its_new_home(
    world: World, resident: Person
) -> None:
    made = ask(world)
    assert made.status_code == 201, made.json()
    body = made.json()
    # The asking side learns nothing about the person until the holder agrees.
    assert body["person"] is None and body["from_area"] == ZHENGUOSI
    assert body["status"] == "pending"
    wanping, zhenguosi = world.api(world.wanping_worker), world.api(world.zhenguosi_worker)
    assert wanping.get(f"/api/v1/people/{resident.pk}/").status_code == 404
    outgoing = wanping.get("/api/v1/transfers/", {"state": "outgoing"}).json()["results"]
    incoming = zhenguosi.get("/api/v1/transfers/").json()["results"]
    assert [t["id"] for t in outgoing] == [t["id"] for t in incoming] == [body["id"]]
    assert incoming[0]["person"]["name"] == "镇国寺居民"
    assert wanping.get("/api/v1/transfers/").json()["results"] == []
    # The asking side cannot answer its own request.
    refused = wanping.post(f"/api/v1/transfers/{body['id']}/accept/")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "transfer"

    accepted = zhenguosi.post(f"/api/v1/transfers/{body['id']}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    resident.refresh_from_db()
    assert resident.area.code == WANPING_ZONE
    homes = Residence.objects.filter(person=resident).order_by("pk")
    assert [(str(h.address), h.until is None) for h in homes] == [
        ("3号楼 201", False),
        ("城内街12号院 南屋", True),
    ]
    assert wanping.get(f"/api/v1/people/{resident.pk}/").status_code == 200
    assert zhenguosi.get(f"/api/v1/people/{resident.pk}/").status_code == 404
    # Both sides still see the handover, and it is audited on each side.
    done = zhenguosi.get("/api/v1/transfers/", {"state": "done"}).json()["results"]
    assert [t["status"] for t in done] == ["accepted"] and done[0]["person"] is None
    details = list(
        AuditEvent.objects.filter(object_type="registry.transfer").values_list("detail", flat=True)
    )
    assert any("申请" in d for d in details) and any("同意" in d for d in details)
    # Answered once: a second answer is a conflict.
    again = zhenguosi.post(f"/api/v1/transfers/{body['id']}/refuse/", {"answer": "x"})
    assert again.status_code in (404, 409)


def test_a_refusal_names_its_reason_and_leaves_the_record(world: World, resident: Person) -> None:
    pk = ask(world).json()["id"]
    zhenguosi = world.api(world.zhenguosi_worker)
    blank = zhenguosi.post(f"/api/v1/transfers/{pk}/refuse/", {"answer": " "}, format="json")
    assert blank.status_code == 400 and blank.json()["errors"][0]["field"] == "answer"
    said = zhenguosi.post(
        f"/api/v1/transfers/{pk}/refuse/", {"answer": "此人仍住在3号楼"}, format="json"
    )
    assert said.status_code == 200 and said.json()["answer"] == "此人仍住在3号楼"
    resident.refresh_from_db()
    assert resident.area.code == ZHENGUOSI
    assert Residence.objects.filter(person=resident, until__isnull=True).count() == 1
    # Refused: the asking side may ask again.
    assert ask(world).status_code == 201


def test_one_pending_request_per_person_and_the_asker_may_withdraw(
    world: World, resident: Person
) -> None:
    pk = ask(world).json()["id"]
    second = ask(world)
    assert second.status_code == 409 and second.json()["errors"][0]["code"] == "pending"
    wanping = world.api(world.wanping_worker)
    assert (
        world.api(world.zhenguosi_worker).post(f"/api/v1/transfers/{pk}/cancel/").status_code == 400
    )
    withdrawn = wanping.post(f"/api/v1/transfers/{pk}/cancel/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "cancelled"
    late = world.api(world.zhenguosi_worker).post(f"/api/v1/transfers/{pk}/accept/")
    assert late.status_code == 409 and late.json()["errors"][0]["code"] == "not_pending"


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"document_number": "110106"}, "document_number", "invalid"),
        ({"document_number": valid_id(921)}, "document_number", "not_found"),
        ({"reason": ""}, "reason", None),
        ({"to_area": ZHENGUOSI}, "to_area", "unknown_area"),
        ({"document_type": "card"}, "document_type", None),
    ],
)
def test_bad_requests_name_the_field_and_write_nothing(
    world: World, resident: Person, overrides: dict[str, str], field: str, code: str | None
) -> None:
    made = ask(world, **overrides)
    assert made.status_code == 400, made.json()
    error = made.json()["errors"][0]
    assert error["field"] == field and (code is None or error["code"] == code)
    assert not Transfer.objects.exists()


def test_a_person_already_here_needs_no_handover(world: World) -> None:
    make_person(world.wanping_worker, world.areas[WANPING_ZONE], document_number=valid_id(922))
    made = ask(world, document_number=valid_id(922))
    assert made.status_code == 400 and made.json()["errors"][0]["code"] == "already_yours"


def test_the_holder_sees_the_request_on_the_workbench_and_answers_on_the_page(
    world: World, resident: Person
) -> None:
    page = world.client(world.wanping_worker).post(
        "/registry/transfers/new/",
        {
            "document_type": "resident_id",
            "document_number": valid_id(920),
            "to_area": WANPING_ZONE,
            "reason": "已搬到城内街租住",
            "kind": "tenant",
        },
    )
    assert page.status_code == 302 and page["Location"].endswith("?state=outgoing")
    transfer = Transfer.objects.get()
    items = {i.label: i for i in work_items(world.zhenguosi_worker, dt.date.today())}
    item = items["待答复的人员转交"]
    assert item.count == 1 and item.url == "/registry/transfers/?state=incoming"
    holder = world.client(world.zhenguosi_worker)
    listed = holder.get(item.url).content.decode()
    assert (
        "镇国寺居民" in listed and f'action="/registry/transfers/{transfer.pk}/accept/"' in listed
    )
    asker = world.client(world.wanping_worker).get("/registry/transfers/?state=outgoing")
    assert "镇国寺居民" not in asker.content.decode()
    answered = holder.post(f"/registry/transfers/{transfer.pk}/accept/", {"state": "incoming"})
    assert answered.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert Person.objects.get(pk=resident.pk).area.code == WANPING_ZONE
    # The form shows a refusal by field, in Chinese, and keeps what was typed.
    bad = world.client(world.wanping_worker).post(
        "/registry/transfers/new/",
        {
            "document_type": "resident_id",
            "document_number": "123",
            "to_area": WANPING_ZONE,
            "reason": "搬来",
            "kind": "tenant",
        },
    )
    assert bad.status_code == 200
    assert 'data-error-for="document_number"' in bad.content.decode()
