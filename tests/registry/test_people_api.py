from __future__ import annotations

import warnings

from django.core.paginator import UnorderedObjectListWarning

from fangkong.registry.models import Person
from tests.conftest import WANPING, ZHENGUOSI, World
from tests.factories import make_person, valid_id, valid_mobile


def post(world: World, user: object, **body: object) -> object:
    return world.api(user).post("/api/v1/people/", body, format="json")  # type: ignore[arg-type]


def test_the_contract_create(world: World) -> None:
    number = valid_id(101)
    response = post(
        world,
        world.wanping_worker,
        name="冯佳",
        document_type="resident_id",
        document_number=number,
        phone="13800001234",
        area=f"{WANPING}Z1",
        building="城内街8号院",
        room="2",
        residence_kind="tenant",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["document_number"] == number[:6] + "********" + number[-4:]
    assert body["phone"] == "138****1234"
    assert body["residence"]["address"] == "城内街8号院 2"
    assert isinstance(body["id"], int)


def test_a_duplicate_document_is_a_409_with_the_first_id(world: World) -> None:
    number = valid_id(102)
    first = post(
        world,
        world.wanping_worker,
        name="甲",
        document_type="resident_id",
        document_number=number,
        phone=valid_mobile(),
        area=WANPING,
    ).json()
    response = post(
        world,
        world.wanping_worker,
        name="乙",
        document_type="resident_id",
        document_number=number,
        phone=valid_mobile(),
        area=WANPING,
    )
    assert response.status_code == 409
    assert response.json()["id"] == first["id"]
    assert response.json()["errors"][0]["field"] == "document_number"


def test_bad_input_is_a_400_naming_each_field_and_writes_nothing(world: World) -> None:
    response = post(
        world,
        world.wanping_worker,
        name="",
        document_type="resident_id",
        document_number="11010619850302001",
        phone="1380000123",
        area=WANPING,
        building="1号楼",
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "document_number", "phone"}
    assert not Person.objects.exists()


def test_an_unknown_or_foreign_area_is_a_400(world: World) -> None:
    for code in ("nope", ZHENGUOSI):
        response = post(
            world,
            world.wanping_worker,
            name="甲",
            document_type="resident_id",
            document_number=valid_id(),
            phone=valid_mobile(),
            area=code,
        )
        assert response.status_code == 400
        assert response.json()["errors"][0] == {
            "field": "area",
            "code": "unknown_area",
            "reason": f"区域代码“{code}”不存在或不在您的管辖范围内",
        }


def test_a_landlord_must_be_registered_and_in_scope(world: World) -> None:
    other = make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI])
    response = post(
        world,
        world.wanping_worker,
        name="租户",
        document_type="resident_id",
        document_number=valid_id(),
        phone=valid_mobile(),
        area=WANPING,
        building="1号楼",
        residence_kind="tenant",
        landlord=other.pk,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "landlord"
    assert not Person.objects.filter(name="租户").exists()


def test_roles_without_the_capability_cannot_register_or_reveal(world: World) -> None:
    response = post(
        world,
        world.wanping_officer,
        name="甲",
        document_type="resident_id",
        document_number=valid_id(),
        phone=valid_mobile(),
        area=WANPING,
    )
    assert response.status_code == 403
    person = make_person(world.wanping_worker, world.areas[WANPING])
    assert world.api(world.guard).get(f"/api/v1/people/{person.pk}/").status_code == 403
    assert (
        world.api(world.wanping_officer).get(f"/api/v1/people/{person.pk}/full/").status_code == 403
    )


def test_lists_filter_by_whereabouts_and_area(world: World) -> None:
    make_person(world.wanping_worker, world.areas[f"{WANPING}Z1"], "在京人")
    make_person(
        world.wanping_worker,
        world.areas[f"{WANPING}Z2"],
        "未返京人",
        whereabouts="not_back",
        away_from="湖北省",
    )
    api = world.api(world.wanping_officer)
    names = {p["name"] for p in api.get("/api/v1/people/?whereabouts=not_back").json()["results"]}
    assert names == {"未返京人"}
    names = {p["name"] for p in api.get(f"/api/v1/people/?area={WANPING}Z1").json()["results"]}
    assert names == {"在京人"}


def test_patch_updates_and_validates(world: World) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING])
    api = world.api(world.wanping_worker)
    response = api.patch(
        f"/api/v1/people/{person.pk}/",
        {"whereabouts": "not_back", "away_from": "河南省信阳市"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["away_from"] == "河南省信阳市"
    bad = api.patch(f"/api/v1/people/{person.pk}/", {"phone": "123"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "phone"
    assert (
        world.api(world.zhenguosi_worker)
        .patch(f"/api/v1/people/{person.pk}/", {"name": "x"}, format="json")
        .status_code
        == 404
    )


def test_duplicates_are_listed_and_merged_over_the_api(world: World) -> None:
    area = world.areas[WANPING]
    a = make_person(world.wanping_worker, area, "钱九", document_number="", phone="13911112222")
    b = make_person(world.wanping_worker, area, "钱九", document_number="", phone="13911112222")
    api = world.api(world.wanping_worker)
    groups = api.get("/api/v1/people/duplicates/").json()["groups"]
    assert [{p["id"] for p in g} for g in groups] == [{a.pk, b.pk}]
    response = api.post(f"/api/v1/people/{a.pk}/merge/", {"duplicate": b.pk}, format="json")
    assert response.status_code == 200
    assert api.get("/api/v1/people/duplicates/").json()["groups"] == []


def test_households(world: World) -> None:
    make_person(world.wanping_worker, world.areas[WANPING], "户主", building="5号楼", room="1")
    make_person(world.wanping_worker, world.areas[WANPING], "家人", building="5号楼", room="1")
    make_person(world.wanping_worker, world.areas[WANPING], "邻居", building="1号楼", room="2")
    api = world.api(world.wanping_worker)
    with warnings.catch_warnings():  # pages of a defined order, nothing skipped or repeated
        warnings.simplefilter("error", UnorderedObjectListWarning)
        rows = api.get("/api/v1/households/").json()["results"]
    assert [(r["building"], r["residents"]) for r in rows] == [("1号楼", 1), ("5号楼", 2)]
    rows = rows[1:]
    detail = api.get(f"/api/v1/households/{rows[0]['id']}/").json()
    assert {p["name"] for p in detail["people"]} == {"户主", "家人"}
