"""The quality API over HTTP: the sampling plan contract, and the whole story of a batch
— product, batch, inspection, packing — scoped to the caller's area."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import World
from tests.quality.conftest import Line

PLAN = "/api/v1/quality/sampling-plan/"


def test_the_sampling_plan_contract(world: World) -> None:
    api = world.api(world.wanping_worker)
    body = api.get(PLAN, {"lot_size": 1200, "aql": "2.5", "level": "II"}).json()
    assert {k: body[k] for k in ("code_letter", "sample_size", "accept", "reject")} == {
        "code_letter": "J", "sample_size": 80, "accept": 5, "reject": 6,
    }  # fmt: skip
    arrow = api.get(PLAN, {"lot_size": 5, "aql": "0.65"}).json()  # level II by default
    assert (arrow["lot_code_letter"], arrow["code_letter"]) == ("A", "F")
    assert arrow["sample_size"] == 5 and arrow["full_inspection"] is True
    assert (arrow["accept"], arrow["reject"]) == (0, 1)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lot_size": 1, "aql": "2.5"}, "lot_size"),
        ({"lot_size": "many", "aql": "2.5"}, "lot_size"),
        ({"aql": "2.5"}, "lot_size"),
        ({"lot_size": 100, "aql": "3.0"}, "aql"),
        ({"lot_size": 100}, "aql"),
        ({"lot_size": 100, "aql": "2.5", "level": "S-2"}, "level"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(
    world: World, params: dict[str, Any], field: str
) -> None:
    response = world.api(world.wanping_worker).get(PLAN, params)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_the_whole_story_of_a_batch(world: World, line: Line) -> None:
    api = world.api(line.contact)
    product = api.post(
        "/api/v1/quality/products/",
        {"unit": line.factory.pk, "name": "KN95", "aql": "1.0", "level": "III",
         "loop_strength_min_n": "12"},
        format="json",
    )  # fmt: skip
    assert product.status_code == 201, product.json()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    made = api.post(
        "/api/v1/quality/batches/",
        {"product": product.json()["id"], "code": "N0302", "lot_size": 3000,
         "produced_on": yesterday},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    batch = made.json()
    assert (batch["lot_code_letter"], batch["sample_size"], batch["accept"]) == ("L", 200, 5)
    url = f"/api/v1/quality/batches/{batch['id']}/"
    weak = api.post(
        url + "inspection/",
        {"inspected": 200, "defects": [{"kind": "loop_strength", "count": 2,
                                        "lowest_strength_n": "12.5"}]},
        format="json",
    )  # fmt: skip
    assert weak.status_code == 400
    assert weak.json()["errors"][0]["field"] == "defects.0.lowest_strength_n"
    inspected = api.post(
        url + "inspection/",
        {"inspected": 200, "defects": [
            {"kind": "loop_strength", "count": 2, "lowest_strength_n": "9.5"},
            {"kind": "loop_asymmetric", "count": 3}]},
        format="json",
    )  # fmt: skip
    assert inspected.status_code == 201, inspected.json()
    assert inspected.json()["status"] == "accepted"
    assert inspected.json()["inspection"]["nonconforming"] == 5
    again = api.post(url + "inspection/", {"inspected": 200}, format="json")
    assert again.status_code == 409
    packed = api.post(url + "pack/", {"counted": 2990, "per_box": 50}, format="json")
    assert packed.status_code == 200, packed.json()
    assert (packed.json()["status"], packed.json()["boxes"]) == ("packed", 60)
    listed = api.get("/api/v1/quality/batches/", {"status": "packed"}).json()
    assert [b["code"] for b in listed["results"]] == ["N0302"]
    assert api.get("/api/v1/quality/batches/", {"status": "nope"}).status_code == 400


def test_another_community_sees_nothing_and_cannot_write(world: World, line: Line) -> None:
    made = world.api(line.contact).post(
        "/api/v1/quality/batches/",
        {"product": line.masks.pk, "code": "W1", "lot_size": 500,
         "produced_on": dt.date.today().isoformat()},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201
    other = world.api(world.zhenguosi_worker)
    assert [b["code"] for b in other.get("/api/v1/quality/batches/").json()["results"]] == []
    names = [p["unit_name"] for p in other.get("/api/v1/quality/products/").json()["results"]]
    assert names == ["镇国寺口罩车间"]
    url = f"/api/v1/quality/batches/{made.json()['id']}/"
    assert other.get(url).status_code == 404
    guard = world.api(world.guard)
    assert guard.get("/api/v1/quality/batches/").status_code == 403
    contact = world.api(line.contact)
    stranger = contact.post(
        "/api/v1/quality/batches/",
        {"product": line.other_masks.pk, "code": "X", "lot_size": 500,
         "produced_on": dt.date.today().isoformat()},
        format="json",
    )  # fmt: skip
    assert stranger.status_code == 400
    assert stranger.json()["errors"][0]["field"] == "product"
    # A community worker reads but does not record.
    reader = world.api(world.wanping_worker)
    assert (
        reader.post(url + "pack/", {"counted": 1, "per_box": 1}, format="json").status_code == 403
    )
