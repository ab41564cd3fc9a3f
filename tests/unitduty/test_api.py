"""Units' duty over HTTP, the whole story: a unit's profile, today's report with a
breach and a fever, the dormitory and its check, a finding raised and closed; scoped."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.arrivals.models import Alert
from tests.conftest import WANPING_ZONE, World
from tests.factories import make_person
from tests.unitduty.conftest import Units


def test_the_whole_story_over_http(world: World, units: Units) -> None:
    contact = world.api(units.contact)
    profile = contact.post(
        f"/api/v1/unitduty/units/{units.site.pk}/profile/",
        {"kind": "construction_site", "address": "宛平城", "headcount": 80,
         "legal_representative": "赵经理"},
        format="json",
    )  # fmt: skip
    assert profile.status_code == 200 and profile.json()["kind"] == "construction_site"
    bad_kind = contact.post(
        f"/api/v1/unitduty/units/{units.site.pk}/profile/", {"kind": "castle"}, format="json"
    )
    assert bad_kind.status_code == 400 and bad_kind.json()["errors"][0]["field"] == "kind"
    person = make_person(world.wanping_worker, world.areas[WANPING_ZONE], "王建国")
    # Construction sites are not under the on-site limit by the 2020 policy; make it an
    # enterprise again for the breach.
    contact.post(
        f"/api/v1/unitduty/units/{units.site.pk}/profile/", {"kind": "enterprise"}, format="json"
    )
    body = {
        "unit": units.site.pk, "staff_expected": 80, "staff_on_site": 50, "staff_home": 20,
        "temperatures_checked": 50, "key_group_staff": 6, "key_group_checked": 6,
        "sick_absences": [{"name": "王建国", "person": person.pk, "symptoms": "发热",
                           "since": timezone.localdate().isoformat(), "temperature": "38.0"}],
    }  # fmt: skip
    bad = contact.post("/api/v1/unitduty/reports/", {**body, "staff_home": 40}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "staff_on_site"
    filed = contact.post("/api/v1/unitduty/reports/", body, format="json")
    assert filed.status_code == 201, filed.json()
    assert filed.json()["finding"] is not None
    assert filed.json()["sick_absences"][0]["name"] == "王**"
    assert filed.json()["sick_absences"][0]["alert"] == Alert.objects.get().pk
    again = contact.post("/api/v1/unitduty/reports/", body, format="json")
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "day"
    dorm = contact.post(
        "/api/v1/unitduty/dormitories/", {"unit": units.site.pk, "name": "工地宿舍"},
        format="json",
    )  # fmt: skip
    assert dorm.status_code == 201
    rooms = f"/api/v1/unitduty/dormitories/{dorm.json()['id']}/rooms/"
    for room in (
        {"name": "1", "area_m2": "24.0", "occupants": 6},
        {"name": "2", "area_m2": "28.0", "occupants": 7},
        {"name": "B1", "area_m2": "12.0", "occupants": 2, "underground": True},
    ):
        assert contact.post(rooms, room, format="json").status_code == 201
    check = f"/api/v1/unitduty/dormitories/{dorm.json()['id']}/check/"
    assert contact.post(check).status_code == 403  # the unit does not inspect itself
    street = world.api(world.wanping_officer)
    checked = street.post(check)
    assert checked.json() == {
        "failing": [{"room": checked.json()["failing"][0]["room"], "name": "2",
                     "failures": ["occupants"]}]
    }  # fmt: skip
    raised = street.post(
        "/api/v1/unitduty/findings/",
        {"unit": units.site.pk, "description": "宿舍消毒记录缺失",
         "deadline": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
        format="json",
    )  # fmt: skip
    assert raised.status_code == 201 and raised.json()["responsible"] == "赵经理"
    open_ = street.get("/api/v1/unitduty/findings/", {"status": "open"}).json()["results"]
    assert len(open_) == 3  # the breach, room 2, the inspection's
    closed = street.post(
        f"/api/v1/unitduty/findings/{raised.json()['id']}/close/", {"note": "已补记录"},
        format="json",
    )  # fmt: skip
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    other = world.api(world.zhenguosi_worker)
    assert other.get("/api/v1/unitduty/findings/").json()["results"] == []
    assert other.get("/api/v1/unitduty/reports/").json()["results"] == []
    assert other.post(check).status_code == 404
    stranger = other.post("/api/v1/unitduty/reports/", body, format="json")
    assert stranger.status_code == 400 and stranger.json()["errors"][0]["field"] == "unit"


def test_inspections_letters_and_the_units_status_over_http(world: World, units: Units) -> None:
    street = world.api(world.wanping_officer)
    today = timezone.localdate()
    made = street.post(
        "/api/v1/unitduty/inspections/",
        {"unit": units.site.pk, "agency": "street", "failed": {"onsite_rate": "到岗 70%"},
         "deadline": (today + dt.timedelta(days=2)).isoformat()},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    assert len(made.json()["findings"]) == 1
    wrong = street.post(
        "/api/v1/unitduty/inspections/",
        {"unit": units.site.pk, "agency": "police", "deadline": today.isoformat()},
        format="json",
    )  # fmt: skip
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "agency"
    letter = world.api(units.contact).post(
        "/api/v1/unitduty/letters/",
        {"unit": units.site.pk, "signed_by": "赵经理", "signed_on": today.isoformat(),
         "expires_on": (today + dt.timedelta(days=60)).isoformat()},
        format="json",
    )  # fmt: skip
    assert letter.status_code == 201
    status = street.get(f"/api/v1/unitduty/units/{units.site.pk}/").json()
    assert status["letter"]["signed_by"] == "赵经理" and status["zero_infection"] is False
    assert "onsite_rate" in status["checklist"]
    other = world.api(world.zhenguosi_worker)
    assert other.get(f"/api/v1/unitduty/units/{units.site.pk}/").status_code == 404
    assert other.get("/api/v1/unitduty/letters/").json()["results"] == []
    assert other.get("/api/v1/unitduty/inspections/").json()["results"] == []


def test_a_commercial_building_gets_its_two_chiefs(world: World, units: Units) -> None:
    from fangkong.units.models import UnitKind
    from fangkong.units.services import unit_contact_set, unit_get_or_register

    building = unit_get_or_register(
        area=units.site.area, name="宛平商务楼", kind=UnitKind.COMMERCIAL_BUILDING
    )
    building = unit_contact_set(
        actor=world.wanping_worker, unit=building, username=units.contact.username
    )
    api = world.api(units.contact)
    url = f"/api/v1/unitduty/units/{building.pk}/chiefs/"
    api.post(url, {"side": "street", "name": "李楼长"}, format="json")
    both = api.post(url, {"side": "property", "name": "王楼长"}, format="json")
    assert both.status_code == 200
    assert [(c["side"], c["name"]) for c in both.json()] == [
        ("property", "王楼长"), ("street", "李楼长"),
    ]  # fmt: skip
    page = world.client(units.contact).get(f"/unitduty/units/{building.pk}/").content.decode()
    assert 'data-chief="street"' in page and 'data-chief="property"' in page
    site = api.post(
        f"/api/v1/unitduty/units/{units.site.pk}/chiefs/", {"side": "street", "name": "x"},
        format="json",
    )  # fmt: skip
    assert site.status_code == 400 and site.json()["errors"][0]["field"] == "unit"
