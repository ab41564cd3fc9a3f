from __future__ import annotations

from fangkong.areas.models import Area
from tests.conftest import WANPING, WANPING_STREET, ZHENGUOSI, World


def listed(world: World, user: object) -> set[str]:
    response = world.api(user).get("/api/v1/areas/?page_size=500")  # type: ignore[arg-type]
    assert response.status_code == 200
    return {row["code"] for row in response.json()["results"]}


def test_each_account_lists_its_own_subtree(world: World) -> None:
    assert listed(world, world.zhenguosi_worker) == {ZHENGUOSI}
    wanping = listed(world, world.wanping_officer)
    assert {WANPING, "110106014201", "110106014202"} <= wanping
    assert ZHENGUOSI not in wanping
    district = listed(world, world.district_officer)
    assert {WANPING, ZHENGUOSI} <= district
    assert listed(world, world.admin) == set(Area.objects.values_list("code", flat=True))


def test_an_area_row_has_the_contract_fields(world: World) -> None:
    row = world.api(world.wanping_worker).get(f"/api/v1/areas/{WANPING}/").json()
    assert row["code"] == WANPING and row["name"] == "宛平城社区"
    assert row["kind"] == "community" and row["parent"] == WANPING_STREET


def test_another_communitys_area_is_not_found(world: World) -> None:
    response = world.api(world.zhenguosi_worker).get(f"/api/v1/areas/{WANPING}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_a_district_officer_creates_a_zone(world: World) -> None:
    response = world.api(world.district_officer).post(
        "/api/v1/areas/",
        {"code": f"{WANPING}Z9", "name": "新片区", "kind": "zone", "parent": WANPING},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Area.objects.get(code=f"{WANPING}Z9").path.endswith(f"/{WANPING}/{WANPING}Z9/")


def test_an_unknown_parent_code_names_the_field(world: World) -> None:
    response = world.api(world.district_officer).post(
        "/api/v1/areas/",
        {"code": "NEW1", "name": "新片区", "kind": "zone", "parent": "nope"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("parent", "unknown_area")
    assert not Area.objects.filter(code="NEW1").exists()


def test_a_cycle_is_refused_with_the_field(world: World) -> None:
    response = world.api(world.district_officer).patch(
        f"/api/v1/areas/{WANPING_STREET}/", {"parent": WANPING, "name": "不应改名"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "parent",
        "code": "cycle",
        "reason": "不能把区域移到它自己或它的下级之下（会形成环）",
    }
    assert Area.objects.get(code=WANPING_STREET).name == "宛平城地区"


def test_a_community_worker_may_not_change_the_tree(world: World) -> None:
    response = world.api(world.wanping_worker).post(
        "/api/v1/areas/",
        {"code": "Z8", "name": "x", "kind": "zone", "parent": WANPING},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"


def test_missing_fields_are_each_named(world: World) -> None:
    response = world.api(world.district_officer).post("/api/v1/areas/", {}, format="json")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"code", "name", "kind", "parent"}


def test_a_rename_through_the_api_keeps_history(world: World) -> None:
    response = world.api(world.district_officer).patch(
        f"/api/v1/areas/{WANPING_STREET}/",
        {"name": "宛平街道", "effective_on": "2021-03-01"},
        format="json",
    )
    assert response.status_code == 200
    assert Area.objects.get(code=WANPING_STREET).changes.filter(old_name="宛平城地区").exists()
