"""The duty list: a planner adds people by document number — a unit's volunteer who lives
in another community too, without touching their record there — on the page and over the
API; bad input names the field."""

from __future__ import annotations

from fangkong.core.crypto import decrypt
from fangkong.duty.models import DutyPerson, DutyRole
from fangkong.units.services import unit_get_or_register
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World
from tests.factories import make_person, valid_id


def test_a_planner_adds_a_volunteer_living_elsewhere_by_document(world: World) -> None:
    lives_there = make_person(
        world.zhenguosi_worker, world.areas[ZHENGUOSI], "借调志愿者", document_number=valid_id(801)
    )
    unit = unit_get_or_register(area=world.areas[WANPING_ZONE], name="抗战纪念馆")
    page = world.client(world.wanping_worker)
    assert "加入值守名单" in page.get("/duty/people/").content.decode()
    added = page.post(
        "/duty/people/",
        {
            "document_type": "resident_id",
            "document_number": decrypt(lives_there.document_cipher),  # type: ignore[arg-type]
            "role": DutyRole.VOLUNTEER,
            "unit": unit.pk,
            "area": world.areas[WANPING].pk,
        },
    )
    assert added.status_code == 302
    on_duty = DutyPerson.objects.get()
    assert (on_duty.person_id, on_duty.area.code, on_duty.unit_id) == (
        lives_there.pk,
        WANPING,
        unit.pk,
    )
    lives_there.refresh_from_db()
    assert lives_there.area.code == ZHENGUOSI  # their record stays where it is
    listed = page.get("/duty/people/").content.decode()
    assert "借调志愿者" in listed and "抗战纪念馆" in listed


def test_the_api_adds_by_document_and_names_the_field_on_bad_input(world: World) -> None:
    make_person(
        world.wanping_worker, world.areas[WANPING_ZONE], "保安甲", document_number=valid_id(802)
    )
    api = world.api(world.wanping_worker)
    body = {"document_number": valid_id(802), "area": WANPING_ZONE, "role": DutyRole.GUARD}
    made = api.post("/api/v1/duty/people/", body, format="json")
    assert made.status_code == 201 and made.json()["name"] == "保安甲"
    unknown = api.post(
        "/api/v1/duty/people/", {**body, "document_number": valid_id(803)}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "document_number"
    elsewhere = api.post("/api/v1/duty/people/", {**body, "area": ZHENGUOSI}, format="json")
    assert elsewhere.status_code == 400 and elsewhere.json()["errors"][0]["field"] == "area"
    nothing = api.post("/api/v1/duty/people/", {"role": DutyRole.GUARD}, format="json")
    assert nothing.status_code == 400 and nothing.json()["errors"][0]["field"] == "person"
    # Reading is not planning: an officer may look, not add.
    officer = world.client(world.district_officer)
    assert officer.get("/duty/people/").status_code == 200
    assert officer.post("/duty/people/", {"document_number": valid_id(802)}).status_code == 403
