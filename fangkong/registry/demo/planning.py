"""Planning the demo registry for the two communities of the source page (March 2020).

* 镇国寺社区 (马家堡街道): 22 apartment buildings, ~5,500 residents in households of one to
  five, mostly owners, some tenants whose landlords are owners of the community; about 8 %
  not yet back (未返京), each with where they are.
* 宛平城社区: the bungalow zones 城内街, 桥西街 and 城北街, courtyards (城内街12号院) whose
  local landlords rent two to six rooms each to migrants (流动人口), some of them not back;
  the units of 城内街 (抗战纪念馆, 中国盲文出版社, 卢沟桥文化旅游区办事处) and the subway
  line 16 construction site with its dormitory, six of whose workers are still away.

Everything is generated from one fixed seed, so every run plans the same people (loading.py
writes them).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fangkong.core.identity import resident_id_check_digit
from fangkong.registry.demo.data import (
    BEIJING_REGIONS,
    BUNGALOW_ROOMS,
    COURTYARDS,
    DEMO_UNITS,
    FEMALE_CHARS,
    HOLIDAY_PLACES,
    MALE_CHARS,
    MOBILE_PREFIXES,
    NOT_BACK_SHARE,
    OLDEST,
    ORIGINS,
    SEED,
    SITE_UNIT,
    SITE_WORKERS,
    SITE_WORKERS_NOT_BACK,
    SURNAME_WEIGHTS,
    SURNAMES,
    WANPING,
    WANPING_ZONES,
    YOUNGEST,
    ZHENGUOSI,
    ZHENGUOSI_BUILDINGS,
    ZHENGUOSI_RESIDENTS,
)
from fangkong.registry.models import DocumentType, ResidenceKind, Residency, Whereabouts


@dataclass
class _Planned:
    key: str  # the document number: unique within the demo
    area: str  # area code
    data: dict[str, Any]
    address: tuple[str, str, str, str]  # area code, building, entrance, room
    kind: str
    since: dt.date
    landlord: str | None = None  # landlord's key
    employer: str | None = None  # unit name


@dataclass
class _Household:
    members: list[_Planned] = field(default_factory=list)


class _Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311 — reproducible demo data
        self.numbers: set[str] = set()
        self.origins = [(place, tuple(codes.split())) for place, _, codes in ORIGINS]
        self.origin_weights = [weight for _, weight, _ in ORIGINS]

    # people ---------------------------------------------------------------------------
    def name(self, sex: str, surname: str | None = None) -> str:
        rng = self.rng
        surname = surname or rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        chars = MALE_CHARS if sex == "male" else FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.65 else "")
        return surname + given

    def birth(self, first_year: int, last_year: int) -> dt.date:
        first_year, last_year = max(first_year, OLDEST.year), min(last_year, YOUNGEST.year)
        start = dt.date(first_year, 1, 1)
        days = (dt.date(last_year, 12, 31) - start).days
        return start + dt.timedelta(days=self.rng.randint(0, days))

    def beijing_region(self) -> str:
        return self.rng.choices([c for c, _ in BEIJING_REGIONS], [w for _, w in BEIJING_REGIONS])[0]

    def origin(self) -> tuple[str, str]:
        """A migrant's home: (place, county code)."""
        place, codes = self.rng.choices(self.origins, self.origin_weights)[0]
        return place, self.rng.choice(codes)

    def resident_id(self, region: str, birth: dt.date, sex: str) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if sex == "male" else 0)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + resident_id_check_digit(first17)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def person(
        self,
        *,
        area: str,
        address: tuple[str, str, str, str],
        kind: str,
        since: dt.date,
        sex: str,
        birth: dt.date,
        region: str,
        surname: str | None = None,
        residency: str = Residency.REGISTERED,
    ) -> _Planned:
        number = self.resident_id(region, birth, sex)
        adult = birth <= dt.date(2004, 1, 1)
        data = {
            "name": self.name(sex, surname),
            "document_type": DocumentType.RESIDENT_ID,
            "document_number": number,
            "phone": self.phone() if adult or self.rng.random() < 0.5 else "",
            "residency": residency,
            "whereabouts": Whereabouts.IN_BEIJING,
            "away_from": "",
        }
        return _Planned(key=number, area=area, data=data, address=address, kind=kind, since=since)

    def since(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def household(
        self,
        size: int,
        *,
        area: str,
        address: tuple[str, str, str, str],
        kind: str,
        since: dt.date,
        region: str,
        residency: str,
        youngest_head: int = 1985,
    ) -> _Household:
        """A family: a head, a spouse, children, perhaps an elderly parent."""
        rng = self.rng
        head_sex = "male" if rng.random() < (0.5 if size == 1 else 0.85) else "female"
        head_birth = self.birth(1940, youngest_head)
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        common: dict[str, Any] = {
            "area": area,
            "address": address,
            "kind": kind,
            "since": since,
            "residency": residency,
        }
        house = _Household()
        house.members.append(
            self.person(sex=head_sex, birth=head_birth, region=region, surname=surname, **common)
        )
        if size >= 2:
            spouse_birth = self.birth(head_birth.year - 2, head_birth.year + 5)
            house.members.append(
                self.person(
                    sex="female" if head_sex == "male" else "male",
                    birth=spouse_birth,
                    region=region,
                    **common,
                )
            )
        for _ in range(size - 2):
            child_year = head_birth.year + rng.randint(23, 36)
            parent_year = head_birth.year - rng.randint(24, 32)
            if child_year <= YOUNGEST.year:
                year, member_region = (
                    child_year,
                    (region if rng.random() < 0.7 else self.beijing_region()),
                )
            elif parent_year >= OLDEST.year:  # no child old enough for an ID: a parent
                year, member_region = parent_year, region
            else:  # neither: a brother or sister
                year, member_region = head_birth.year + rng.randint(-6, 6), region
            year = min(max(year, OLDEST.year), YOUNGEST.year)
            house.members.append(
                self.person(
                    sex=rng.choice(("male", "female")),
                    birth=self.birth(year, year),
                    region=member_region,
                    surname=surname,
                    **common,
                )
            )
        return house

    def send_away(self, members: Iterable[_Planned], place: str) -> None:
        for member in members:
            member.data["whereabouts"] = Whereabouts.NOT_BACK
            member.data["away_from"] = place

    def holiday_place(self) -> str:
        return self.rng.choices([p for p, _ in HOLIDAY_PLACES], [w for _, w in HOLIDAY_PLACES])[0]


def _household_size(rng: random.Random) -> int:
    return rng.choices((1, 2, 3, 4, 5), (14, 30, 30, 16, 10))[0]


def _plan_zhenguosi(gen: _Generator) -> list[_Planned]:
    rng = gen.rng
    rooms: list[tuple[str, str, str]] = []
    for number in range(1, ZHENGUOSI_BUILDINGS + 1):
        tower = number > 14  # 1–14号楼 six-storey walk-ups, 15–22号楼 high-rises
        units = rng.randint(4, 6)
        floors = rng.randint(12, 16) if tower else 6
        per_floor = 3 if tower else 2
        for unit in range(1, units + 1):
            for floor in range(1, floors + 1):
                for door in range(1, per_floor + 1):
                    rooms.append((f"{number}号楼", f"{unit}单元", f"{floor}{door:02d}"))
    rng.shuffle(rooms)
    planned: list[_Planned] = []
    owners: list[_Planned] = []
    tenants: list[_Household] = []
    people = 0
    for building, entrance, room in rooms:
        if people >= ZHENGUOSI_RESIDENTS:
            break
        size = min(_household_size(rng), ZHENGUOSI_RESIDENTS - people)
        address = (ZHENGUOSI, building, entrance, room)
        tenant = rng.random() < 0.13
        if tenant:
            place, region = gen.origin() if rng.random() < 0.7 else ("", gen.beijing_region())
            residency = Residency.MIGRANT if place else Residency.REGISTERED
            since = gen.since(dt.date(2016, 3, 1), dt.date(2020, 1, 10))
        else:
            place, region = "", gen.beijing_region()
            if rng.random() < 0.25:  # came to Beijing long ago, ID from home
                place, region = gen.origin()
            residency = Residency.REGISTERED
            since = gen.since(dt.date(1990, 1, 1), dt.date(2019, 12, 31))
        house = gen.household(
            size,
            area=ZHENGUOSI,
            address=address,
            kind=ResidenceKind.TENANT if tenant else ResidenceKind.OWNER,
            since=since,
            region=region,
            residency=residency,
        )
        if rng.random() < NOT_BACK_SHARE:
            away = place if place and rng.random() < 0.7 else gen.holiday_place()
            gen.send_away(house.members, away)
        if tenant:
            tenants.append(house)
        else:
            owners.append(house.members[0])
        planned.extend(house.members)
        people += len(house.members)
    # Landlords: owners of the community who rent out a second flat.
    for house in tenants:
        landlord = rng.choice(owners)
        for member in house.members:
            member.landlord = landlord.key
    _add_foreign_documents(gen, planned)
    return planned


def _add_foreign_documents(gen: _Generator, planned: list[_Planned]) -> None:
    """A few residents hold passports or Hong Kong / Macao / Taiwan permits instead."""
    rng = gen.rng
    landlords = {p.landlord for p in planned if p.landlord}
    kinds = (
        [DocumentType.PASSPORT] * 5
        + [DocumentType.HK_MACAO_PERMIT] * 4
        + [DocumentType.TAIWAN_PERMIT] * 3
    )
    candidates = [p for p in planned if p.key not in landlords]
    for member, doc_type in zip(rng.sample(candidates, len(kinds)), kinds, strict=True):
        digits = f"{rng.randrange(10**8):08d}"
        number = {DocumentType.PASSPORT: "E", DocumentType.HK_MACAO_PERMIT: "H"}.get(
            doc_type, ""
        ) + digits
        key = member.key
        member.data.update(
            document_type=doc_type,
            document_number=number,
            sex="male" if int(key[16]) % 2 else "female",
            birth_date=dt.date(int(key[6:10]), int(key[10:12]), int(key[12:14])),
        )
        member.key = f"{doc_type}:{number}"


def _plan_wanping(gen: _Generator) -> list[_Planned]:
    rng = gen.rng
    planned: list[_Planned] = []
    for zone, zone_name in WANPING_ZONES.items():
        numbers = sorted(rng.sample(range(1, 140), COURTYARDS[zone]))
        for number in numbers:
            building = f"{zone_name}{number}号院"
            owner_since = gen.since(dt.date(1985, 1, 1), dt.date(2012, 12, 31))
            family = gen.household(
                rng.choices((1, 2, 3, 4), (15, 40, 30, 15))[0],
                area=zone,
                address=(zone, building, "", "北房"),
                kind=ResidenceKind.OWNER,
                since=owner_since,
                region="110106",
                residency=Residency.REGISTERED,
                youngest_head=1975,
            )
            if rng.random() < 0.05:
                gen.send_away(family.members, gen.holiday_place())
            planned.extend(family.members)
            if rng.random() >= 0.8:
                continue  # a courtyard the family keeps to itself
            landlord = family.members[0]
            for room in rng.sample(BUNGALOW_ROOMS, rng.randint(2, 6)):
                place, region = gen.origin()
                since = gen.since(dt.date(2015, 1, 1), dt.date(2020, 1, 15))
                common: dict[str, Any] = {
                    "area": zone,
                    "address": (zone, building, "", room),
                    "kind": ResidenceKind.TENANT,
                    "since": since,
                    "residency": Residency.MIGRANT,
                }
                size = rng.choices((1, 2, 3), (40, 45, 15))[0]
                if size == 2 and rng.random() < 0.7:  # a couple
                    house = gen.household(2, region=region, youngest_head=1998, **common)
                    tenants = house.members
                else:  # workers sharing a room
                    tenants = [
                        gen.person(
                            sex=rng.choice(("male", "male", "female")),
                            birth=gen.birth(1965, 2001),
                            region=gen.origin()[1] if rng.random() < 0.3 else region,
                            **common,
                        )
                        for _ in range(size)
                    ]
                for tenant in tenants:
                    tenant.landlord = landlord.key
                if rng.random() < 0.14:
                    gen.send_away(tenants, place)
                planned.extend(tenants)
    # The subway construction site: a dormitory building on the site, workers from home.
    for index in range(SITE_WORKERS):
        place, region = gen.origin()
        worker = gen.person(
            area=WANPING,
            address=(WANPING, "地铁16号线工地宿舍楼", "", f"{101 + index // 4}"),
            kind=ResidenceKind.DORMITORY,
            since=gen.since(dt.date(2019, 5, 1), dt.date(2019, 12, 20)),
            sex="male",
            birth=gen.birth(1966, 1999),
            region=region,
            residency=Residency.MIGRANT,
        )
        worker.employer = SITE_UNIT
        if index < SITE_WORKERS_NOT_BACK:
            gen.send_away([worker], place)
        planned.append(worker)
    return planned


def _assign_employees(gen: _Generator, planned: Sequence[_Planned]) -> None:
    """Employees of 城内街's organs: working-age registered residents of both communities."""
    eligible = [
        p
        for p in planned
        if p.data["residency"] == Residency.REGISTERED
        and p.employer is None
        and p.data["document_type"] == DocumentType.RESIDENT_ID
        and "1962" <= p.key[6:10] <= "1998"
    ]
    picked = iter(gen.rng.sample(eligible, sum(n for *_, n in DEMO_UNITS)))
    for name, _, _, count in DEMO_UNITS:
        for _ in range(count):
            next(picked).employer = name


def plan_demo_registry(seed: int = SEED) -> list[_Planned]:
    """Everyone the demo registers, in a fixed order; the same list on every call."""
    gen = _Generator(seed)
    planned = _plan_zhenguosi(gen) + _plan_wanping(gen)
    _assign_employees(gen, planned)
    return planned
