"""The units' duty pages: the unit contact files today's report (an error names its
field, nothing is written), the dormitory is checked from the unit's page and the failing
room is shown; the 工作台 counts what is left to do."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fangkong.unitduty.models import Finding, UnitReport
from fangkong.unitduty.services import dormitory_create, room_save
from fangkong.units.services import unit_get_or_register
from tests.conftest import WANPING, World
from tests.unitduty.conftest import Units


def _post(units: Units, **extra: str) -> dict[str, str]:
    return {
        "staff_expected": "100", "staff_on_site": "60", "staff_home": "30",
        "temperatures_checked": "60", "key_group_staff": "5", "key_group_checked": "5",
        **extra,
    }  # fmt: skip


def test_the_unit_contact_files_todays_report(world: World, units: Units) -> None:
    client = world.client(units.contact)
    home = client.get("/").content.decode()
    assert "今日单位日报未填报" in home
    page = client.get(f"/unitduty/units/{units.site.pk}/")
    assert 'id="file-report"' in page.content.decode()
    url = f"/unitduty/units/{units.site.pk}/report/"
    wrong = client.post(url, _post(units, temperatures_checked="61"))
    assert wrong.status_code == 400
    assert 'data-error-for="temperatures_checked"' in wrong.content.decode()
    sick = client.post(
        url,
        _post(units, sick_0_name="李四", sick_0_temperature="abc",
              sick_0_since=timezone.localdate().isoformat()),
    )  # fmt: skip
    assert 'data-error-for="sick_0_temperature"' in sick.content.decode()
    assert not UnitReport.objects.exists()
    done = client.post(
        url,
        _post(units, sick_0_name="李四", sick_0_temperature="37.0", sick_0_symptoms="咳嗽",
              sick_0_since=(timezone.localdate() - dt.timedelta(days=1)).isoformat()),
    )  # fmt: skip
    assert done.status_code == 302
    report = UnitReport.objects.get()
    assert report.sick_absences.get().name == "李四"
    assert Finding.objects.get().report == report  # 60 % on site
    after = client.get(f"/unitduty/units/{units.site.pk}/").content.decode()
    assert 'id="report"' in after and "李*" in after


def test_the_dormitory_check_names_the_failing_room(world: World, units: Units) -> None:
    dorm = dormitory_create(actor=units.contact, unit=units.site, name="工地宿舍")
    room_save(actor=units.contact, dormitory=dorm, name="B1-2", area_m2="9", occupants=2,
              underground=True)  # fmt: skip
    officer = world.client(world.wanping_officer)
    page = officer.get(f"/unitduty/units/{units.site.pk}/").content.decode()
    assert 'data-failing="B1-2"' in page
    checked = officer.post(f"/unitduty/dormitories/{dorm.pk}/check/", follow=True)
    assert "B1-2" in checked.content.decode()
    assert Finding.objects.get().room.name == "B1-2"  # type: ignore[union-attr]
    contact = world.client(units.contact)
    assert contact.post(f"/unitduty/dormitories/{dorm.pk}/check/").status_code == 403


def test_a_unit_contact_sees_and_files_for_its_own_units_only(world: World, units: Units) -> None:
    """Another unit in the same community is not the contact's: not listed, 404, and its
    profile cannot be changed; the community worker ties the account to a unit."""
    worker = world.api(world.wanping_worker)
    bakery = unit_get_or_register(area=world.areas[WANPING], name="宛平城面包房")
    contact = world.api(units.contact)
    listed = world.client(units.contact).get("/unitduty/").content.decode()
    assert "地铁16号线施工单位" in listed and "宛平城面包房" not in listed
    assert world.client(units.contact).get(f"/unitduty/units/{bakery.pk}/").status_code == 404
    answer = contact.post(
        f"/api/v1/unitduty/units/{bakery.pk}/profile/", {"address": "x"}, format="json"
    )
    assert answer.status_code == 404
    # The contact cannot hand its unit to another account.
    answer = contact.post(
        f"/api/v1/unitduty/units/{units.site.pk}/profile/",
        {"contact_username": "wanping_worker"},
        format="json",
    )
    assert (answer.status_code, answer.json()["errors"][0]["field"]) == (400, "contact_username")
    # Only a unit-contact account can be tied to a unit; then the contact sees it.
    bad = worker.post(
        f"/api/v1/unitduty/units/{bakery.pk}/profile/",
        {"contact_username": "wanping_worker"},
        format="json",
    )
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "contact_username")
    ok = worker.post(
        f"/api/v1/unitduty/units/{bakery.pk}/profile/",
        {"contact_username": "site_contact"},
        format="json",
    )
    assert (ok.status_code, ok.json()["contact_username"]) == (200, "site_contact")
    assert world.client(units.contact).get(f"/unitduty/units/{bakery.pk}/").status_code == 200
