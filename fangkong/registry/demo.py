"""Demo registry for the two communities of the source page (March 2020).

* 镇国寺社区 (马家堡街道): 22 apartment buildings, ~5,500 residents in households of one to
  five, mostly owners, some tenants whose landlords are owners of the community; about 8 %
  not yet back (未返京), each with where they are.
* 宛平城社区: the bungalow zones 城内街, 桥西街 and 城北街, courtyards (城内街12号院) whose
  local landlords rent two to six rooms each to migrants (流动人口), some of them not back;
  the units of 城内街 (抗战纪念馆, 中国盲文出版社, 卢沟桥文化旅游区办事处) and the subway
  line 16 construction site with its dormitory, six of whose workers are still away.

Everything is generated from one fixed seed, so every run plans the same people; a person
whose document is already registered is skipped, which makes loading idempotent. People are
validated by the registry's own `clean_person` and written in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.core.crypto import blind_index, encrypt
from fangkong.core.identity import mask_phone, normalize_phone, resident_id_check_digit
from fangkong.core.scoping import subtree_q
from fangkong.registry.cleaning import clean_person
from fangkong.registry.models import (
    Address,
    DocumentType,
    Person,
    Residence,
    ResidenceKind,
    Residency,
    Whereabouts,
)
from fangkong.registry.services import apply_clean
from fangkong.units.models import Unit, UnitKind

SEED = 20200305
ZHENGUOSI = "110106015001"
WANPING = "110106014001"
WANPING_ZONES = {"110106014001Z1": "城内街", "110106014001Z2": "桥西街", "110106014001Z3": "城北街"}
CHENGNEI = "110106014001Z1"
ZHENGUOSI_RESIDENTS = 5560  # “5500 多名居民”
ZHENGUOSI_BUILDINGS = 22
NOT_BACK_SHARE = 0.08

# Common surnames, most frequent first (weights fall off with rank), and given-name characters.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = tuple(1 / (rank + 4) for rank in range(len(SURNAMES)))
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳"
    "建国志文海东峰亮成春永庆德福振兴金宝晨博轩睿泽昊然铭天瑞"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀玲桂英红燕萍梅琳丹雪婷颖慧倩洁佳琪欣月璐晶悦雨涵萱怡彤淑兰凤珍荣云琴"
)
MOBILE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)] + [f"15{d}" for d in "01235789"] + [f"18{d}" for d in range(10)]
)

# Beijing residents' ID region codes (丰台 weighted up).
BEIJING_REGIONS = (("110106", 6), ("110101", 1), ("110102", 1), ("110105", 2), ("110108", 1))
# Migrants' home cities: (place as written on a screening sheet, weight, the city's
# county-level codes as in the ministry's table of 2025, fixed here so that the demo plans
# the same people whatever version of the table is installed).
ORIGINS: tuple[tuple[str, int, str], ...] = (
    (
        "湖北省武汉市",
        3,
        "420102 420103 420104 420105 420106 420107 420111 420112 420113 420114 420115 420116 "
        "420117",
    ),
    ("湖北省孝感市", 1, "420902 420921 420922 420923 420981 420982 420984"),
    (
        "河北省保定市",
        4,
        "130602 130606 130607 130608 130609 130623 130624 130626 130627 130628 130629 130630 "
        "130631 130632 130633 130634 130635 130636 130637 130638 130681 130682 130683 130684",
    ),
    (
        "河北省邯郸市",
        2,
        "130402 130403 130404 130406 130407 130408 130423 130424 130425 130426 130427 130430 "
        "130431 130432 130433 130434 130435 130481",
    ),
    ("河北省廊坊市", 2, "131002 131003 131022 131023 131024 131025 131026 131028 131081 131082"),
    ("河南省信阳市", 4, "411502 411503 411521 411522 411523 411524 411525 411526 411527 411528"),
    ("河南省商丘市", 2, "411402 411403 411421 411422 411423 411424 411425 411426 411481"),
    ("河南省周口市", 2, "411602 411603 411621 411622 411623 411624 411625 411627 411628 411681"),
    ("山东省菏泽市", 3, "371702 371703 371721 371722 371723 371724 371725 371726 371728"),
    (
        "山东省临沂市",
        1,
        "371302 371311 371312 371321 371322 371323 371324 371325 371326 371327 371328 371329",
    ),
    ("安徽省阜阳市", 3, "341202 341203 341204 341221 341222 341225 341226 341282"),
    ("四川省南充市", 1, "511302 511303 511304 511321 511322 511323 511324 511325 511381"),
    (
        "黑龙江省哈尔滨市",
        1,
        "230102 230103 230104 230108 230109 230110 230111 230112 230113 230123 230124 230125 "
        "230126 230127 230128 230129 230183 230184",
    ),
    ("山西省大同市", 1, "140212 140213 140214 140215 140221 140222 140223 140224 140225 140226"),
    ("江苏省徐州市", 1, "320302 320303 320305 320311 320312 320321 320322 320324 320381 320382"),
    (
        "内蒙古自治区赤峰市",
        1,
        "150402 150403 150404 150421 150422 150423 150424 150425 150426 150428 150429 150430",
    ),
    ("甘肃省天水市", 1, "620502 620503 620521 620522 620523 620524 620525"),
)
# Where Beijing natives spent the Spring Festival when they are not back yet.
HOLIDAY_PLACES: tuple[tuple[str, int], ...] = (
    ("湖北省武汉市", 3),
    ("海南省三亚市", 3),
    ("黑龙江省哈尔滨市", 1),
    ("广东省广州市", 1),
    ("河北省保定市", 1),
    ("山东省菏泽市", 1),
    ("境外（日本）", 1),
    ("境外（韩国）", 1),
    ("境外（意大利）", 1),
    ("境外（美国）", 1),
)
BUNGALOW_ROOMS = ("东厢房", "西厢房", "南房", "倒座房", "东耳房", "西耳房", "后罩房")
# Courtyards per zone of 宛平城社区.
COURTYARDS = {"110106014001Z1": 50, "110106014001Z2": 45, "110106014001Z3": 55}

# name, kind, area code, employees
DEMO_UNITS: tuple[tuple[str, str, str, int], ...] = (
    ("中国人民抗日战争纪念馆", UnitKind.ORGAN, CHENGNEI, 24),
    ("中国盲文出版社", UnitKind.ORGAN, CHENGNEI, 14),
    ("卢沟桥文化旅游区办事处", UnitKind.ORGAN, CHENGNEI, 9),
    ("地铁16号线施工单位", UnitKind.CONSTRUCTION_SITE, WANPING, 0),  # its workers below
)
SITE_UNIT = "地铁16号线施工单位"
SITE_WORKERS = 32
SITE_WORKERS_NOT_BACK = 6  # “下周有 6 位工作人员将返京”

OLDEST, YOUNGEST = dt.date(1940, 1, 1), dt.date(2005, 12, 31)
# The door-to-door screening (摸排) that registered them: five days, counted back from the
# day the demo is loaded, ending before the returnee demo's first arrival (12 days back), so
# that on every day of the story the daily figures count the people it observes.
SCREENING_DAYS_AGO = (20, 16)


def demo_region_codes() -> frozenset[str]:
    """Every region code the demo may put in an ID (synthetic data stays clear of them)."""
    codes = {code for code, _ in BEIJING_REGIONS}
    for _, _, group in ORIGINS:
        codes.update(group.split())
    return frozenset(codes)


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
    rng = random.Random(gen_seed + 1)  # noqa: S311
    units: dict[str, Unit] = {}
    for name, kind, code, _ in DEMO_UNITS:
        unit = Unit.objects.filter(area=areas[code], name=name).first()
        if unit is None:
            phone = normalize_phone(rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")
            contact = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + rng.choice(MALE_CHARS)
            unit = Unit.objects.create(
                area=areas[code],
                name=name,
                kind=kind,
                contact_name=contact,
                contact_phone_masked=mask_phone(phone),
                contact_phone_cipher=encrypt(phone),
            )
        units[name] = unit
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

    return _summary(
        created=len(new), zhenguosi=areas[ZHENGUOSI], wanping=areas[WANPING], units=len(units)
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
