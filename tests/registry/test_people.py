from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.core.crypto import decrypt
from fangkong.core.errors import Conflict
from fangkong.registry.models import Person, Residence, ResidenceKind, Whereabouts
from fangkong.registry.people.services import (
    address_get_or_create,
    person_merge,
    person_register,
    residence_set,
)
from tests.conftest import WANPING, ZHENGUOSI, World
from tests.factories import make_person, valid_id, valid_mobile


def test_it_stores_documents_and_phones_encrypted_and_masked(world: World) -> None:
    number = valid_id(7, born=dt.date(1985, 3, 2))
    person = make_person(
        world.wanping_worker,
        world.areas[WANPING],
        "李四",
        document_number=number.lower(),
        phone="+86 139 0000 0007",
    )
    person.refresh_from_db()
    assert person.document_masked == number[:6] + "********" + number[-4:]
    assert person.phone_masked == "139****0007"
    assert decrypt(person.document_cipher) == number
    assert decrypt(person.phone_cipher) == "+8613900000007"
    assert person.birth_date == dt.date(1985, 3, 2) and person.sex == "male"
    raw = Person.objects.filter(pk=person.pk).values_list("document_cipher", flat=True)[0]
    assert number.encode() not in bytes(raw)


def test_a_second_registration_of_a_document_finds_the_first(world: World) -> None:
    first = make_person(world.wanping_worker, world.areas[WANPING], document_number=valid_id(9))
    with pytest.raises(Conflict) as err:
        person_register(
            actor=world.zhenguosi_worker,
            area=world.areas[ZHENGUOSI],
            data={"name": "另一人", "document_number": " " + valid_id(9)},
        )
    assert err.value.extra["id"] == first.pk
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("document_number", "11010619850302001", "length"),  # 17 characters
        ("document_number", "110106203102300011", "birth_date"),  # 2031-02-30
        ("phone", "1390000000", "invalid_phone"),  # 10 digits
        ("name", "", "required"),
    ],
)
def test_bad_input_names_the_field(world: World, field: str, value: str, code: str) -> None:
    data = {"name": "王五", "document_number": valid_id(), "phone": valid_mobile(), field: value}
    with pytest.raises(ValidationError) as err:
        person_register(actor=world.wanping_worker, area=world.areas[WANPING], data=data)
    assert field in err.value.error_dict
    assert err.value.error_dict[field][0].code == code
    assert not Person.objects.exists()


def test_a_wrong_check_digit_is_refused(world: World) -> None:
    good = valid_id(11)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        person_register(
            actor=world.wanping_worker,
            area=world.areas[WANPING],
            data={"name": "赵六", "document_number": bad},
        )
    assert "校验位" in err.value.message_dict["document_number"][0]


def test_people_register_at_a_community_or_below(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        person_register(
            actor=world.wanping_officer,
            area=world.areas["110106014"],
            data={"name": "赵六", "document_number": valid_id()},
        )
    assert "area" in err.value.message_dict


def test_a_tenant_has_a_landlord_and_households_group_people(world: World) -> None:
    zone = world.areas[f"{WANPING}Z2"]
    landlord = make_person(world.wanping_worker, zone, "房东甲", building="桥西街5号院")
    tenant = make_person(
        world.wanping_worker,
        zone,
        "租户乙",
        building="桥西街5号院",
        room="东厢房",
        kind=ResidenceKind.TENANT,
        landlord=landlord,
    )
    residence = tenant.residences.get()
    assert residence.landlord == landlord and residence.address.room == "东厢房"
    with pytest.raises(ValidationError):
        residence_set(person=landlord, address=residence.address, kind="owner", landlord=tenant)


def test_moving_ends_the_previous_residence(world: World) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING], building="1号楼", room="101")
    new = address_get_or_create(area=world.areas[WANPING], building="2号楼", room="202")
    residence_set(person=person, address=new, kind="tenant", since=dt.date(2020, 2, 1))
    assert person.residences.current().get().address == new
    assert person.residences.get(until=dt.date(2020, 2, 1)).address.building == "1号楼"


def test_a_merge_keeps_every_linked_record(world: World) -> None:
    area = world.areas[WANPING]
    keep = make_person(
        world.wanping_worker,
        area,
        "孙七",
        building="3号楼",
        room="301",
        document_number="",
        phone=valid_mobile(77),
    )
    duplicate = make_person(
        world.wanping_worker,
        area,
        "孙七",
        building="3号楼",
        room="301",
        document_number=valid_id(77),
        phone=valid_mobile(77),
    )
    tenant = make_person(
        world.wanping_worker,
        area,
        "租户",
        building="3号楼",
        room="302",
        kind="tenant",
        landlord=duplicate,
    )
    person_merge(actor=world.wanping_worker, keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert keep.document_masked.startswith("110106") and keep.document_index
    assert tenant.residences.get().landlord == keep
    assert Residence.objects.filter(person=keep).count() == 2  # both homes kept, one ended
    assert Residence.objects.filter(person=keep, until__isnull=True).count() == 1
    assert not Person.objects.active().filter(pk=duplicate.pk).exists()


def test_merging_different_documents_is_refused(world: World) -> None:
    a = make_person(world.wanping_worker, world.areas[WANPING], "周八")
    b = make_person(world.wanping_worker, world.areas[WANPING], "周八")
    with pytest.raises(ValidationError):
        person_merge(actor=world.wanping_worker, keep=a, duplicate=b)


def test_not_back_needs_a_place(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        make_person(world.wanping_worker, world.areas[WANPING], whereabouts="not_back")
    assert "away_from" in err.value.message_dict
    person = make_person(
        world.wanping_worker, world.areas[WANPING], whereabouts="未返京", away_from="湖北省武汉市"
    )
    assert person.whereabouts == Whereabouts.NOT_BACK


def test_reveal_and_document_search_are_audited(world: World) -> None:
    number = valid_id(55)
    person = make_person(world.wanping_worker, world.areas[WANPING], document_number=number)
    api = world.api(world.wanping_worker)
    found = api.get("/api/v1/people/", {"document_number": number}).json()["results"]
    assert [p["id"] for p in found] == [person.pk]
    full = api.get(f"/api/v1/people/{person.pk}/full/").json()
    assert full["document_number"] == number
    events = AuditEvent.objects.filter(actor=world.wanping_worker)
    assert events.filter(action=AuditAction.SEARCH_DOCUMENT).count() == 1
    assert events.filter(action=AuditAction.VIEW_RECORD, object_id=str(person.pk)).exists()
    assert not AuditEvent.objects.filter(detail__contains=number).exists()
    assert not AuditEvent.objects.filter(object_id__contains=number).exists()


def test_another_community_finds_nothing_by_document_and_is_audited(world: World) -> None:
    number = valid_id(56)
    make_person(world.wanping_worker, world.areas[WANPING], document_number=number)
    response = world.api(world.zhenguosi_worker).get("/api/v1/people/", {"document_number": number})
    assert response.json()["results"] == []
    event = AuditEvent.objects.get(actor=world.zhenguosi_worker, action=AuditAction.SEARCH_DOCUMENT)
    assert event.detail == "结果 0 条"
    page = world.client(world.zhenguosi_worker).get("/registry/people/", {"number": number})
    assert "没有找到人员" in page.content.decode()


def test_chinese_words_are_read_on_an_english_page(world: World) -> None:
    """A sheet or form is filled in Chinese whatever language the page is shown in."""
    from django.utils import translation

    from fangkong.registry.people.cleaning import clean_person

    with translation.override("en"):
        clean = clean_person(
            {"name": "李四", "whereabouts": "未返京", "away_from": "河北省", "residency": "流动"},
            today=dt.date(2020, 3, 2),
            require_document=False,
        )
    assert (clean.whereabouts, clean.residency) == ("not_back", "migrant")
