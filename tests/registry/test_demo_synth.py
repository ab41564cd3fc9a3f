"""Demo registry (镇国寺社区, 宛平城社区) and `fangkong synth`: scale, idempotence, valid and
decryptable documents, correct scoping. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from fangkong.accounts.demo import load_demo_accounts
from fangkong.accounts.roles import Role
from fangkong.accounts.services import account_upsert
from fangkong.areas.demo import load_demo_areas
from fangkong.areas.models import Area, AreaKind
from fangkong.core.crypto import blind_index, decrypt
from fangkong.core.identity import (
    mask_document,
    mask_phone,
    normalize_phone,
    validate_document,
    validate_resident_id,
)
from fangkong.registry.demo.data import (
    SITE_UNIT,
    SITE_WORKERS_NOT_BACK,
    WANPING,
    ZHENGUOSI,
    demo_region_codes,
)
from fangkong.registry.demo.loading import load_demo_registry
from fangkong.registry.models import Address, Person, Residence, Transfer
from fangkong.registry.people.services import people_find_by_document
from fangkong.registry.synth.documents import documents
from fangkong.site.workbench import work_items

PASSWORD = "correct-horse-battery-1"


def assert_readable(people: list[Person]) -> None:
    """Each document and phone decrypts to a valid value that its blind index and mask
    were made from, exactly as the application would have stored it."""
    assert people
    for person in people:
        number = decrypt(person.document_cipher)
        assert validate_document(person.document_type, number) == number
        assert person.document_index == blind_index(f"doc:{person.document_type}", number)
        assert person.document_masked == mask_document(number)
        if person.document_type == "resident_id":
            rid = validate_resident_id(number)
            assert (rid.birth_date, rid.sex) == (person.birth_date, person.sex)
        if person.phone_cipher is not None:
            phone = decrypt(person.phone_cipher)
            assert normalize_phone(phone, mobile_only=True) == phone
            assert person.phone_index == blind_index("phone", phone)
            assert person.phone_masked == mask_phone(phone)


def sample(queryset, n: int = 150) -> list[Person]:
    ids = list(queryset.order_by("id").values_list("id", flat=True))
    step = max(1, len(ids) // n)
    return list(Person.objects.filter(id__in=ids[::step]))


def test_demo_registry(db: None) -> None:
    load_demo_areas()
    first = load_demo_registry()
    zhenguosi = Area.objects.get(code=ZHENGUOSI)
    wanping = Area.objects.get(code=WANPING)
    in_wanping = Person.objects.filter(area__path__startswith=wanping.path)

    # 镇国寺社区: 5,500+ residents in 20+ buildings, households of one to five.
    residents = Person.objects.filter(area=zhenguosi)
    assert 5225 <= residents.count() <= 5775
    assert first.zhenguosi_people == residents.count()
    homes = Residence.objects.current().filter(address__area=zhenguosi)
    assert homes.count() == residents.count()
    assert homes.values("address__building").distinct().count() >= 20
    sizes = Counter(homes.values("address").annotate(n=Count("id")).values_list("n", flat=True))
    assert set(sizes) == {1, 2, 3, 4, 5}
    kinds = Counter(homes.values_list("kind", flat=True))
    assert kinds["owner"] > 4 * kinds["tenant"] > 0
    assert not homes.filter(kind="tenant", landlord__isnull=True).exists()
    # Part of them not back yet, each with where they are.
    away = residents.filter(whereabouts="not_back")
    assert 0.05 * residents.count() <= away.count() <= 0.11 * residents.count()
    assert not away.filter(away_from="").exists()
    places = set(away.values_list("away_from", flat=True))
    assert {"湖北省武汉市", "河北省保定市"} <= places
    assert any(place.startswith("境外") for place in places)

    # 宛平城社区: courtyards in three zones; local landlords rent 2–6 rooms to migrants.
    zones = set(in_wanping.values_list("area__name", flat=True))
    assert {"城内街", "桥西街", "城北街"} <= zones
    rented = Residence.objects.current().filter(
        address__area__path__startswith=wanping.path, kind="tenant"
    )
    assert rented.count() > 300
    assert not rented.filter(landlord__isnull=True).exists()
    assert not rented.exclude(person__residency="migrant").exists()
    rooms = Counter(
        dict(
            rented.values("landlord")
            .annotate(n=Count("address", distinct=True))
            .values_list("landlord", "n")
        )
    )
    assert rooms and all(2 <= n <= 6 for n in rooms.values())
    landlords = Person.objects.filter(pk__in=rooms)
    assert not landlords.exclude(residency="registered").exists()
    assert not landlords.exclude(area__path__startswith=wanping.path).exists()
    tenant_of = rented.select_related("address", "landlord").first()
    assert tenant_of is not None
    landlord_home = Residence.objects.current().get(person=tenant_of.landlord)
    assert landlord_home.kind == "owner"
    assert landlord_home.address.building == tenant_of.address.building  # same courtyard
    assert rented.filter(person__whereabouts="not_back").exists()

    # Units of 城内街 and the subway construction site with its dormitory.
    site_workers = Person.objects.filter(employer__name=SITE_UNIT)
    assert site_workers.filter(whereabouts="not_back").count() == SITE_WORKERS_NOT_BACK
    assert not site_workers.exclude(residences__kind="dormitory").exists()
    employers = set(
        Person.objects.filter(employer__isnull=False).values_list("employer__name", flat=True)
    )
    assert {"中国人民抗日战争纪念馆", "中国盲文出版社", "卢沟桥文化旅游区办事处"} <= employers

    # Documents and phones decrypt to valid values; IDs use the origin's region codes.
    everyone = Person.objects.filter(pk__in=residents) | in_wanping
    assert_readable(sample(everyone))
    assert set(everyone.values_list("document_type", flat=True)) >= {"resident_id", "passport"}
    regions = {
        mask[:6]
        for mask in everyone.filter(document_type="resident_id").values_list(
            "document_masked", flat=True
        )
    }
    assert regions <= demo_region_codes()
    assert {"110106", "420102"} & regions

    # Idempotent: a second run adds nothing.
    counts = (Person.objects.count(), Address.objects.count(), Residence.objects.count())
    second = load_demo_registry()
    assert second.created == 0
    assert (Person.objects.count(), Address.objects.count(), Residence.objects.count()) == counts
    assert second.summary().startswith("demo registry: 镇国寺社区")


def test_the_demo_has_a_handover_waiting_on_zhenguosis_workbench(db: None) -> None:
    load_demo_areas()
    accounts = {user.username: user for user, _ in load_demo_accounts()}
    load_demo_registry()
    load_demo_registry()
    transfer = Transfer.objects.get()
    assert (transfer.from_area.code, transfer.to_area.code) == (ZHENGUOSI, f"{WANPING}Z1")
    items = {i.label: i.count for i in work_items(accounts["zhenguosi_worker"], dt.date.today())}
    assert items["待答复的人员转交"] == 1


def test_synth(db: None) -> None:
    out = StringIO()
    call_command("synth", people=2000, communities=4, seed=7, stdout=out)
    assert "2,000 / 2,000 people" in out.getvalue()

    district = Area.objects.get(code="990106")
    assert district.kind == AreaKind.DISTRICT and district.is_demo
    communities = Area.objects.filter(path__startswith=district.path, kind=AreaKind.COMMUNITY)
    assert communities.count() == 4
    people = Person.objects.filter(area__path__startswith=district.path)
    assert people.count() == 2000
    # Everyone is registered at a zone of the district, and lives at an address there.
    assert set(people.values_list("area__kind", flat=True)) == {AreaKind.ZONE}
    homes = (
        Residence.objects.current()
        .filter(person__in=people)
        .select_related("person__area", "address__area")
    )
    assert homes.count() == 2000
    assert all(h.address.area_id == h.person.area_id for h in homes)
    assert all(h.person.area.path.startswith(district.path) for h in homes)
    assert not homes.filter(kind="tenant", landlord__isnull=True).exists()
    assert homes.filter(kind="tenant").exists()
    away = people.filter(whereabouts="not_back")
    assert 40 <= away.count() <= 300 and not away.filter(away_from="").exists()
    assert_readable(sample(people))

    # Scoping: the district sees everyone, one community its own quarter, 丰台 nobody.
    load_demo_areas()
    community = communities.order_by("code").first()
    assert community is not None
    officer = account_upsert(
        username="synth_officer", role=Role.DISTRICT_OFFICER, area=district, password=PASSWORD
    )
    worker = account_upsert(
        username="synth_worker", role=Role.COMMUNITY_WORKER, area=community, password=PASSWORD
    )
    fengtai = account_upsert(
        username="fengtai_officer",
        role=Role.DISTRICT_OFFICER,
        area=Area.objects.get(code="110106"),
        password=PASSWORD,
    )
    assert Person.objects.visible_to(officer).count() == 2000
    assert Person.objects.visible_to(worker).count() == 500
    assert (
        Person.objects.visible_to(fengtai).filter(area__path__startswith=district.path).count() == 0
    )
    # An exact search by document number finds the person through the blind index.
    someone = people.filter(area__path__startswith=community.path).first()
    assert someone is not None
    number = decrypt(someone.document_cipher)
    assert list(
        people_find_by_document(actor=worker, document_type="resident_id", number=number)
    ) == [someone]

    # Appending continues the numbering without collisions; --clear starts over.
    call_command("synth", people=300, communities=4, seed=7, stdout=out)
    assert people.count() == 2300
    assert (
        Address.objects.filter(area__path__startswith=district.path)
        .values("area", "building", "entrance", "room")
        .distinct()
        .count()
        == Address.objects.filter(area__path__startswith=district.path).count()
    )
    call_command("synth", people=100, communities=2, clear=True, stdout=out)
    assert people.count() == 100
    assert not people.filter(area__path__startswith=communities.order_by("code")[3].path).exists()
    assert Address.objects.filter(area__path__startswith=district.path).count() < 100
    assert communities.count() == 4  # the tree stays


def test_synth_documents_never_meet_the_demo() -> None:
    docs = documents("990106")
    assert not set(docs.regions) & demo_region_codes()
    numbers = {docs.number(serial)[0] for serial in range(20_000)}
    assert len(numbers) == 20_000
    for number in list(numbers)[:200]:
        assert validate_resident_id(number).number == number
    other = documents("990107")
    assert not numbers & {other.number(serial)[0] for serial in range(20_000)}


@pytest.mark.parametrize("bad", [{"district": "110106"}, {"zones": 9}, {"people": -1}])
def test_synth_refuses_bad_arguments(db: None, bad: dict[str, object]) -> None:
    from django.core.management.base import CommandError

    options: dict[str, object] = {"people": 10, **bad}
    with pytest.raises(CommandError):
        call_command("synth", stdout=StringIO(), **options)
