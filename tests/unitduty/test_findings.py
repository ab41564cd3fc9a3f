"""Dormitories checked room by room (the failing rooms named, each a finding once),
findings raised by an inspection, overdue on the street's list until closed, and none of
it seen from another community."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from fangkong.core.errors import Conflict
from fangkong.unitduty.models import Finding, FindingSource, FindingStatus
from fangkong.unitduty.selectors import OVERDUE, findings_visible
from fangkong.unitduty.services import (
    dormitory_check,
    dormitory_create,
    finding_close,
    finding_raise,
    room_save,
)
from tests.conftest import World
from tests.unitduty.conftest import Units


def test_a_failing_dormitory_room_is_named_and_becomes_a_finding(
    world: World, units: Units
) -> None:
    worker = world.wanping_worker
    dorm = dormitory_create(actor=units.contact, unit=units.site, name="16号线工地宿舍")
    room_save(actor=units.contact, dormitory=dorm, name="101", area_m2="24", occupants=6)
    room_save(actor=units.contact, dormitory=dorm, name="102", area_m2="20", occupants=6)
    room_save(
        actor=units.contact, dormitory=dorm, name="B1-1", area_m2=Decimal("10"), occupants=2,
        underground=True, bunk_beds=True,
    )  # fmt: skip
    failing = dormitory_check(actor=worker, dormitory=dorm, on=timezone.localdate())
    assert [(room.name, codes) for room, codes in failing] == [
        ("102", ["area_per_person"]),
        ("B1-1", ["bunk_beds"]),
    ]
    findings = Finding.objects.filter(source=FindingSource.DORMITORY).order_by("room__name")
    assert [f.room.name for f in findings] == ["102", "B1-1"]  # type: ignore[union-attr]
    assert "102" in findings[0].description and "4.0" in findings[0].description
    dormitory_check(actor=worker, dormitory=dorm, on=timezone.localdate())
    assert Finding.objects.count() == 2  # once per room while open
    with pytest.raises(ValidationError) as caught:
        room_save(actor=units.contact, dormitory=dorm, name="103", area_m2="0", occupants=1)
    assert list(caught.value.message_dict) == ["area_m2"]


def test_an_overdue_finding_is_listed_for_the_street_until_closed(
    world: World, units: Units
) -> None:
    today = timezone.localdate()
    finding = finding_raise(
        actor=world.wanping_officer, unit=units.museum, description="出入登记不全",
        deadline=today + dt.timedelta(days=2), responsible="馆办公室",
    )  # fmt: skip
    street = world.wanping_officer
    assert findings_visible(street, status=OVERDUE, today=today).count() == 0
    later = today + dt.timedelta(days=3)
    with time_machine.travel(dt.datetime.combine(later, dt.time(9)), tick=False):
        assert list(findings_visible(street, status=OVERDUE, today=later)) == [finding]
        page = world.client(street).get("/unitduty/findings/?status=overdue")
        assert f'data-finding="{finding.pk}"' in page.content.decode()
        closed = finding_close(actor=street, finding=finding, note="复查：登记表已补齐")
        assert closed.status == FindingStatus.CLOSED
        assert findings_visible(street, status=OVERDUE, today=later).count() == 0
        page = world.client(street).get("/unitduty/findings/?status=overdue")
        assert f'data-finding="{finding.pk}"' not in page.content.decode()
    with pytest.raises(Conflict):
        finding_close(actor=street, finding=finding, note="again")


def test_a_finding_needs_a_deadline_not_past_and_a_description(world: World, units: Units) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        finding_raise(
            actor=world.wanping_worker, unit=units.site, description="x",
            deadline=today - dt.timedelta(days=1),
        )  # fmt: skip
    assert list(caught.value.message_dict) == ["deadline"]
    with pytest.raises(ValidationError) as caught:
        finding_raise(actor=world.wanping_worker, unit=units.site, description=" ", deadline=today)
    assert list(caught.value.message_dict) == ["description"]
    made = finding_raise(
        actor=world.wanping_worker, unit=units.site, description="食堂未分餐", deadline=today
    )
    assert made.responsible == "赵经理"  # the legal representative answers unless named


def test_another_community_sees_none_of_it(world: World, units: Units) -> None:
    finding_raise(
        actor=world.wanping_worker, unit=units.site, description="未测温",
        deadline=timezone.localdate(),
    )  # fmt: skip
    other = world.zhenguosi_worker
    assert findings_visible(other).count() == 0
    client = world.client(other)
    assert "未测温" not in client.get("/unitduty/findings/").content.decode()
    assert client.get(f"/unitduty/units/{units.site.pk}/").status_code == 404
    listed = client.get("/unitduty/").content.decode()
    assert units.site.name not in listed and units.zhenguosi_shop.name in listed
    with pytest.raises(ValidationError):
        finding_raise(actor=other, unit=units.site, description="x", deadline=timezone.localdate())


def test_an_inspection_by_the_kinds_checklist_raises_a_finding_per_failed_item(
    world: World, units: Units
) -> None:
    from fangkong.unitduty.checklists import checklist
    from fangkong.unitduty.services import inspection_record

    assert "two_chiefs" not in checklist(units.site.kind)
    assert "staff_health" in checklist(units.zhenguosi_shop.kind)  # a small place
    today = timezone.localdate()
    inspection = inspection_record(
        actor=world.wanping_officer, unit=units.site, agency="market",
        failed={"temperature": "门口无人测温", "masks": ""},
        deadline=today + dt.timedelta(days=3), responsible="赵经理",
    )  # fmt: skip
    assert sorted(f.description for f in inspection.findings.all()) == [
        "佩戴口罩", "进门测温：门口无人测温",
    ]  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        inspection_record(
            actor=world.wanping_officer, unit=units.site, agency="market",
            failed={"two_chiefs": ""}, deadline=today,
        )  # fmt: skip
    assert list(caught.value.message_dict) == ["failed"]


def test_a_letter_in_force_and_no_fever_or_overdue_make_a_zero_infection_unit(
    world: World, units: Units
) -> None:
    from fangkong.unitduty.selectors import letters_to_renew, zero_infection
    from fangkong.unitduty.services import letter_record, report_file

    today = timezone.localdate()
    assert not zero_infection(units.museum, today)
    letter_record(
        actor=units.contact, unit=units.museum, signed_by="馆长",
        signed_on=today - dt.timedelta(days=30), expires_on=today + dt.timedelta(days=5),
    )  # fmt: skip
    assert [u.name for u in letters_to_renew(units.contact, today)] == [units.museum.name]
    report_file(
        actor=units.contact, unit=units.museum, day=today,
        values={"staff_expected": 10, "staff_on_site": 3, "staff_home": 7,
                "temperatures_checked": 3},
    )  # fmt: skip
    assert zero_infection(units.museum, today)
    page = world.client(units.contact).get(f"/unitduty/units/{units.museum.pk}/")
    assert 'id="zero-infection"' in page.content.decode()
    later = today + dt.timedelta(days=6)
    assert not zero_infection(units.museum, later)  # the letter has expired
    with pytest.raises(ValidationError) as caught:
        letter_record(
            actor=units.contact, unit=units.museum, signed_by="馆长", signed_on=today,
            expires_on=today,
        )  # fmt: skip
    assert list(caught.value.message_dict) == ["expires_on"]
    letter_record(
        actor=units.contact, unit=units.museum, signed_by="馆长", signed_on=today,
        expires_on=today + dt.timedelta(days=90),
    )  # fmt: skip
    assert letters_to_renew(units.contact, today).count() == 0
