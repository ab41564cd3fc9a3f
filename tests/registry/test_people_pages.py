"""The people and household pages: which actions an account is offered, the registration
form's errors, and the order of the household list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.registry.models import Address, Person
from fangkong.registry.people import selectors
from fangkong.registry.people.services import address_get_or_create, residence_set
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World, make_account
from tests.factories import make_person, valid_id


def _hrefs(page: str) -> set[str]:
    return {href.split("?")[0] for href in re.findall(r'(?:href|action)="([^"]+)"', page)}


@pytest.fixture
def home(world: World) -> Person:
    """A Wanping resident with a household, and a Zhenguosi one for the Zhenguosi medic."""
    make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "镇国寺居民", building="3号楼")
    return make_person(
        world.wanping_worker, world.areas[WANPING_ZONE], "城内街居民", building="城内街12号院"
    )


def _readers(world: World) -> list[User]:
    return [
        world.wanping_officer,
        world.district_officer,
        make_account("wanping_medic", Role.MEDICAL_STAFF, WANPING),
        make_account("zhenguosi_medic", Role.MEDICAL_STAFF, ZHENGUOSI),
        make_account("wanping_police", Role.POLICE_OFFICER, WANPING),
    ]


def _person_pages(user: User) -> list[str]:
    """The people list, and a visible person's page and household page."""
    person = Person.objects.visible_to(user).order_by("pk").first()
    assert person is not None, user.username
    address = person.residences.get().address
    return [
        reverse("registry:people"),
        reverse("registry:person", args=[person.pk]),
        reverse("registry:household", args=[address.pk]),
    ]


def test_it_offers_only_the_actions_the_account_may_take(world: World, home: Person) -> None:
    new, export = reverse("registry:person-new"), reverse("registry:people-export")
    for user in _readers(world):
        client = world.client(user)
        for url in _person_pages(user):
            response = client.get(url)
            assert response.status_code == 200, (user.username, url)
            page = response.content.decode()
            assert new not in _hrefs(page), (user.username, url)
            assert "/edit/" not in page and "在此登记人员" not in page, (user.username, url)
        offers_export = export in _hrefs(client.get(reverse("registry:people")).content.decode())
        # Street and district officers may export (masked); medics and police may not.
        assert offers_export == (user.role in (Role.STREET_OFFICER, Role.DISTRICT_OFFICER))


def test_every_action_offered_is_one_the_account_may_open(world: World, home: Person) -> None:
    for user in [world.wanping_worker, *_readers(world)]:
        client = world.client(user)
        for url in _person_pages(user):
            page = client.get(url).content.decode()
            for href in _hrefs(page) - {reverse("registry:person-merge")}:
                if href.startswith("/registry/") and not href.endswith("/reveal/"):  # POST
                    status = client.get(href).status_code
                    assert status == 200, (user.username, url, href, status)


def test_a_community_worker_is_offered_registration_changes_and_export(
    world: World, home: Person
) -> None:
    client = world.client(world.wanping_worker)
    people = client.get(reverse("registry:people")).content.decode()
    assert {reverse("registry:person-new"), reverse("registry:people-export")} <= _hrefs(people)
    detail = client.get(reverse("registry:person", args=[home.pk])).content.decode()
    assert reverse("registry:person-edit", args=[home.pk]) in _hrefs(detail)
    address = home.residences.get().address
    household = client.get(reverse("registry:household", args=[address.pk])).content.decode()
    assert "在此登记人员" in household
    assert f"{reverse('registry:person-new')}?area={WANPING_ZONE}" in household


def test_only_those_who_may_change_records_are_offered_a_merge(world: World) -> None:
    area = world.areas[WANPING]
    for _ in range(2):
        make_person(world.wanping_worker, area, "重名人", document_number="", phone="13900001111")
    merge = reverse("registry:person-merge")
    worker_page = world.client(world.wanping_worker).get(reverse("registry:duplicates"))
    assert merge in worker_page.content.decode()
    medic = make_account("wanping_medic", Role.MEDICAL_STAFF, WANPING)
    medic_page = world.client(medic).get(reverse("registry:duplicates")).content.decode()
    assert "重名人" in medic_page and merge not in medic_page and "合并到" not in medic_page


# --- the registration form -----------------------------------------------------------------

# What a browser sends for an untouched form: the selects keep their first option.
UNTOUCHED = {
    "name": "",
    "document_type": "resident_id",
    "document_number": "",
    "phone": "",
    "area": "",
    "sex": "unknown",
    "residency": "registered",
    "whereabouts": "in_beijing",
    "residence_kind": "owner",
}


def _errors(page: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for field, text in re.findall(r'data-error-for="(\w+)">([^<]*)<', page):
        out.setdefault(field, []).append(text)
    return out


def _bad_check_digit() -> str:
    good = valid_id(4242)
    return good[:17] + ("0" if good[17] != "0" else "1")


def test_an_empty_form_names_every_missing_field_at_once(world: World) -> None:
    response = world.client(world.wanping_worker).post(reverse("registry:person-new"), UNTOUCHED)
    assert response.status_code == 200
    errors = _errors(response.content.decode())
    assert errors["name"] == ["姓名不能为空"]
    assert errors["area"] == ["请选择社区/片区"]
    # A number may be added later: the form says so, and an empty one is no error.
    assert "document_number" not in errors
    assert not Person.objects.exists()


def test_a_bad_id_and_phone_are_named_even_without_an_area(world: World) -> None:
    data = {**UNTOUCHED, "document_number": _bad_check_digit(), "phone": "123"}
    response = world.client(world.wanping_worker).post(reverse("registry:person-new"), data)
    errors = _errors(response.content.decode())
    assert set(errors) == {"name", "document_number", "phone", "area"}
    assert "校验位" in errors["document_number"][0]
    assert "123" in errors["phone"][0]
    assert errors["area"] == ["请选择社区/片区"]


def test_a_field_the_form_refuses_keeps_one_reason(world: World) -> None:
    data = {**UNTOUCHED, "name": "长" * 51, "area": WANPING}
    response = world.client(world.wanping_worker).post(reverse("registry:person-new"), data)
    errors = _errors(response.content.decode())
    assert list(errors) == ["name"] and len(errors["name"]) == 1
    assert "不能为空" not in errors["name"][0]


def test_an_area_outside_the_scope_is_refused_in_chinese(world: World) -> None:
    data = {**UNTOUCHED, "name": "王五", "area": ZHENGUOSI}
    response = world.client(world.wanping_worker).post(reverse("registry:person-new"), data)
    assert _errors(response.content.decode())["area"] == [
        "所选社区/片区不在您的辖区内或已撤销，请重新选择"
    ]


def test_a_complete_form_still_registers(world: World) -> None:
    data = {**UNTOUCHED, "name": "王五", "document_number": valid_id(4243), "area": WANPING_ZONE}
    data |= {"phone": "13900004243", "building": "城内街9号院", "room": "北房"}
    response = world.client(world.wanping_worker).post(reverse("registry:person-new"), data)
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registry/people/{person.pk}/"
    assert str(person.residences.get().address) == "城内街9号院 北房"


def test_an_edit_with_a_bad_phone_says_why(world: World, home: Person) -> None:
    url = reverse("registry:person-edit", args=[home.pk])
    data = {**UNTOUCHED, "name": "城内街居民", "phone": "123", "area": WANPING_ZONE}
    errors = _errors(world.client(world.wanping_worker).post(url, data).content.decode())
    assert list(errors) == ["phone"]


def _selected_area(page: str) -> list[str]:
    select = re.search(r'<select name="area".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"[^>]* selected', select.group(0))


def test_the_only_possible_area_is_preselected(world: World) -> None:
    zone_worker = make_account("chengnei_worker", Role.COMMUNITY_WORKER, WANPING_ZONE)
    page = world.client(zone_worker).get(reverse("registry:person-new")).content.decode()
    assert _selected_area(page) == [WANPING_ZONE]
    # Wanping's worker has the community and its three zones to choose from.
    page = world.client(world.wanping_worker).get(reverse("registry:person-new")).content.decode()
    assert _selected_area(page) == [""]
    url = f"{reverse('registry:person-new')}?area={WANPING_ZONE}"
    page = world.client(world.wanping_worker).get(url).content.decode()
    assert _selected_area(page) == [WANPING_ZONE]


# --- the household list --------------------------------------------------------------------


def _live_at(world: World, building: str, room: str = "") -> Address:
    person = make_person(world.wanping_worker, world.areas[WANPING_ZONE], document_number="")
    address = address_get_or_create(area=world.areas[WANPING_ZONE], building=building, room=room)
    residence_set(person=person, address=address, kind="owner")
    return address


def test_households_are_listed_with_numbers_by_value(world: World) -> None:
    for building, room in [
        ("城内街106号院", ""),
        ("城内街10号院", "1001"),
        ("城内街10号院", "902"),
        ("城内街9号院", ""),
        ("10号楼", ""),
        ("2号楼", ""),
        ("城内街11号院", ""),
    ]:
        _live_at(world, building, room)
    address_get_or_create(area=world.areas[WANPING_ZONE], building="城内街1号院")  # nobody
    listed = [str(a) for a in selectors.households(user=world.wanping_worker)]
    assert listed == [
        "2号楼",
        "10号楼",
        "城内街9号院",
        "城内街10号院 902",
        "城内街10号院 1001",
        "城内街11号院",
        "城内街106号院",
    ]
    assert [a.residents for a in selectors.households(user=world.wanping_worker)] == [1] * 7


def test_household_pages_follow_on_in_natural_order(world: World) -> None:
    for n in range(60, 0, -1):
        _live_at(world, f"城内街{n}号院")
    client = world.client(world.wanping_worker)
    listed = []
    for page in (1, 2):
        response = client.get(reverse("registry:households"), {"page": page})
        listed += re.findall(r"城内街(\d+)号院", response.content.decode())
    assert listed == [str(n) for n in range(1, 61)]
