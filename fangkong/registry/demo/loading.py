"""Loading the demo registry: the planned people (planning.py) validated by the registry's
own `clean_person` and written in bulk, with their addresses and homes; the units they
work for registered through the units app. Idempotent: a person whose document is
already registered is skipped."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.core.crypto import blind_index, decrypt
from fangkong.core.identity import normalize_phone
from fangkong.core.scoping import subtree_q
from fangkong.registry.demo.data import (
    DEMO_UNITS,
    MALE_CHARS,
    MOBILE_PREFIXES,
    SCREENING_DAYS_AGO,
    SEED,
    SURNAME_WEIGHTS,
    SURNAMES,
    WANPING,
    WANPING_ZONES,
    ZHENGUOSI,
)
from fangkong.registry.demo.planning import plan_demo_registry
from fangkong.registry.models import (
    Address,
    Person,
    Residence,
    ResidenceKind,
    Transfer,
    Whereabouts,
)
from fangkong.registry.people.cleaning import clean_person
from fangkong.registry.people.services import apply_clean
from fangkong.registry.transfers.services import transfer_request
from fangkong.units.models import Unit
from fangkong.units.services import unit_get_or_register


@dataclass
class DemoRegistry:
    created: int
    zhenguosi_people: int
    zhenguosi_buildings: int
    wanping_people: int
    rented_rooms: int
    not_back: int
    units: int

    def summary(self) -> str:
        return (
            f"demo registry: 镇国寺社区 {self.zhenguosi_people:,} 人 / "
            f"{self.zhenguosi_buildings} 栋楼，宛平城社区 {self.wanping_people:,} 人 / "
            f"出租房 {self.rented_rooms} 间，未返京 {self.not_back} 人，单位 {self.units} 个"
            f"（本次新增 {self.created:,} 人）"
        )


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _units(areas: dict[str, Area], gen_seed: int) -> dict[str, Unit]:
    """The units of the story, through the units app: each one found by its matching rule
    or registered with a contact drawn for it."""
    rng = random.Random(gen_seed + 1)  # noqa: S311
    units: dict[str, Unit] = {}
    for name, kind, code, _ in DEMO_UNITS:
        phone = normalize_phone(rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")
        contact = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + rng.choice(MALE_CHARS)
        units[name] = unit_get_or_register(
            area=areas[code], name=name, kind=kind, contact_name=contact, contact_phone_e164=phone
        )
    return units


@transaction.atomic
def load_demo_registry(seed: int = SEED) -> DemoRegistry:
    """Register the demo people of 镇国寺社区 and 宛平城社区. Idempotent: people whose
    documents are registered already are left alone, so a second run adds nothing."""
    codes = [ZHENGUOSI, WANPING, *WANPING_ZONES]
    areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    if len(areas) < len(codes):
        from fangkong.areas.demo import load_demo_areas

        load_demo_areas()
        areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    units = _units(areas, seed)
    planned = plan_demo_registry(seed)
    today = timezone.localdate()

    # Planned numbers are already normalised: their blind index finds who is registered.
    index_of = {
        p.key: blind_index(f"doc:{p.data['document_type']}", p.data["document_number"])
        for p in planned
    }
    existing: set[str | None] = set()
    for chunk in _chunks(list(index_of.values())):
        existing.update(
            Person.objects.filter(document_index__in=chunk).values_list("document_index", flat=True)
        )
    new = [p for p in planned if index_of[p.key] not in existing]
    cleaned = {p.key: clean_person(p.data, today=today) for p in new}
    Person.objects.bulk_create(
        [
            apply_clean(
                Person(area=areas[p.area], employer=units[p.employer] if p.employer else None),
                cleaned[p.key],
            )
            for p in new
        ],
        batch_size=500,
    )
    _date_registration([index_of[p.key] for p in new], today)

    # Addresses (some may exist already, typed in by a worker), then the new residences.
    Address.objects.bulk_create(
        [
            Address(area=areas[a[0]], building=a[1], entrance=a[2], room=a[3])
            for a in dict.fromkeys(p.address for p in new)
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    address_id = {
        (a.area.code, a.building, a.entrance, a.room): a.pk
        for a in Address.objects.filter(area__in=areas.values()).select_related("area")
    }
    needed = {index_of[p.key] for p in new} | {index_of[p.landlord] for p in new if p.landlord}
    person_id: dict[str | None, int] = {}
    for chunk in _chunks(list(needed)):
        person_id.update(
            Person.objects.filter(document_index__in=chunk).values_list("document_index", "pk")
        )
    Residence.objects.bulk_create(
        [
            Residence(
                person_id=person_id[index_of[p.key]],
                address_id=address_id[p.address],
                kind=p.kind,
                since=p.since,
                landlord_id=person_id[index_of[p.landlord]] if p.landlord else None,
            )
            for p in new
        ],
        batch_size=500,
    )

    _pending_handover(areas)
    return _summary(
        created=len(new), zhenguosi=areas[ZHENGUOSI], wanping=areas[WANPING], units=len(units)
    )


def _pending_handover(areas: dict[str, Area]) -> None:
    """A 镇国寺 resident now renting in 城内街: 宛平城's worker has asked for the record, and
    it waits on 镇国寺's 工作台 (once; through the service, as a worker would)."""
    asker = User.objects.filter(username="wanping_worker").first()
    if asker is None or Transfer.objects.exists():
        return
    person = (
        Person.objects.active()
        .filter(area=areas[ZHENGUOSI], whereabouts=Whereabouts.IN_BEIJING)
        .exclude(document_cipher=None)
        .order_by("-pk")
        .first()
    )
    if person is None:
        return
    transfer_request(
        actor=asker,
        document_type=person.document_type,
        document_number=decrypt(person.document_cipher),
        to_area=areas[next(iter(WANPING_ZONES))],
        reason="已搬到城内街租住，房东报告",
        home={"building": "城内街8号院", "room": "东屋", "kind": ResidenceKind.TENANT},
    )


def _date_registration(indexes: Sequence[str], today: dt.date) -> None:
    """Registered on the screening's days (`SCREENING_DAYS_AGO`), in plan order, so that a
    household (planned together) is registered on one day."""
    first, last = SCREENING_DAYS_AGO
    days = first - last + 1
    for day in range(days):
        share = indexes[len(indexes) * day // days : len(indexes) * (day + 1) // days]
        on = today - dt.timedelta(days=first - day)
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(9)))
        for chunk in _chunks(list(share)):
            Person.objects.filter(document_index__in=chunk).update(created_at=at)


def _summary(*, created: int, zhenguosi: Area, wanping: Area, units: int) -> DemoRegistry:
    """What the database holds now in the two communities."""
    in_wanping = subtree_q("area__path", wanping.path)
    rented = (
        Residence.objects.current()
        .filter(subtree_q("address__area__path", wanping.path), kind=ResidenceKind.TENANT)
        .values("address")
        .distinct()
        .count()
    )
    both = Person.objects.active().filter(Q(area=zhenguosi) | in_wanping)
    return DemoRegistry(
        created=created,
        zhenguosi_people=Person.objects.active().filter(area=zhenguosi).count(),
        zhenguosi_buildings=Address.objects.filter(area=zhenguosi)
        .values("building")
        .distinct()
        .count(),
        wanping_people=Person.objects.active().filter(in_wanping).count(),
        rented_rooms=rented,
        not_back=both.filter(whereabouts=Whereabouts.NOT_BACK).count(),
        units=units,
    )


def load_demo() -> str:
    return load_demo_registry().summary()
