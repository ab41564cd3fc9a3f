"""Demo units' duty: 宛平城's three units that lend people to the duty posts (纪念馆,
盲文出版社, 旅游区办事处) and the subway line 16 site with its dormitory (one room too
crowded, one underground room with bunk beds); a commercial building above the on-site
limit; small places of 镇国寺 with an open finding and an overdue one. Today's reports
carry a sick absence with a fever. Idempotent: a unit with reports gets nothing more."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.unitduty import services
from fangkong.unitduty.models import UnitReport
from fangkong.units.models import Unit, UnitKind
from fangkong.units.services import unit_contact_set, unit_get_or_register, unit_profile_update

CHENGNEI = "110106014001Z1"
WANPING = "110106014001"
ZHENGUOSI = "110106015001"
NANFANGZHUANG = "110106007001"
SITE = "地铁16号线施工单位"

# name, area, kind, address, headcount, legal representative,
# today's (expected, on site, at home, key group), a sick absence (name, symptoms, °C)
UNITS: list[tuple[Any, ...]] = [
    ("中国人民抗日战争纪念馆", CHENGNEI, UnitKind.ORGAN, "宛平城内街101号", 180, "馆长办公室",
     (180, 60, 100, 12), None),
    ("中国盲文出版社", CHENGNEI, UnitKind.ENTERPRISE, "宛平城内街", 240, "社长办公室",
     (240, 100, 130, 16), ("刘*", "咳嗽、发热", "38.1")),
    ("卢沟桥文化旅游区办事处", CHENGNEI, UnitKind.ORGAN, "卢沟桥西", 45, "办事处主任",
     (45, 20, 25, 4), None),
    (SITE, WANPING, UnitKind.CONSTRUCTION_SITE, "宛平城北侧施工区", 36, "项目经理",
     (36, 30, 0, 6), None),
    ("南方庄商务楼（演示）", NANFANGZHUANG, UnitKind.COMMERCIAL_BUILDING, "南方庄路", 600,
     "物业管理处", (600, 380, 200, 40), None),
    ("镇国寺小餐馆（演示）", ZHENGUOSI, UnitKind.SMALL_RESTAURANT, "镇国寺北街", 6, "店主",
     None, None),
    ("镇国寺小理发店（演示）", ZHENGUOSI, UnitKind.SMALL_BARBER, "镇国寺南街", 3, "店主",
     None, None),
]  # fmt: skip

ROOMS = [  # the site's dormitory: name, m², people, bunk beds, underground
    ("1号板房", Decimal("24"), 6, False, False),
    ("2号板房", Decimal("20"), 6, False, False),
    ("地下B1-1", Decimal("10"), 2, True, True),
]


@transaction.atomic
def load_demo() -> str:
    actor = User.objects.filter(username="admin").first()
    if actor is None or not Area.objects.filter(code=WANPING).exists():
        return "unitduty: skipped (no demo areas or admin account)"
    today = timezone.localdate()
    made: dict[str, Unit] = {}
    reports = 0
    for name, code, kind, address, headcount, legal, counts, sick in UNITS:
        area = Area.objects.filter(code=code).first()
        if area is None:
            continue
        unit = unit_get_or_register(area=area, name=name)
        unit = unit_profile_update(
            actor=actor, unit=unit, kind=kind, address=address, headcount=headcount,
            legal_representative=legal,
        )  # fmt: skip
        made[name] = unit
        if counts and not UnitReport.objects.filter(unit=unit, day=today).exists():
            expected, on_site, home, key = counts
            rows = []
            if sick:
                who, symptoms, temperature = sick
                rows.append(
                    {"name": who, "symptoms": symptoms, "temperature": temperature,
                     "since": today - dt.timedelta(days=1)}
                )  # fmt: skip
            services.report_file(
                actor=actor, unit=unit, day=today, sick=rows,
                values={"staff_expected": expected, "staff_on_site": on_site,
                        "staff_home": home, "temperatures_checked": on_site,
                        "key_group_staff": key, "key_group_checked": key},
            )  # fmt: skip
            reports += 1
    site = made.get(SITE)
    demo_contact = User.objects.filter(username="wanping_unit").exists()
    if site is not None and site.contact_account_id is None and demo_contact:
        unit_contact_set(actor=actor, unit=site, username="wanping_unit")
    _site_dormitory(actor, made.get(SITE), today)
    building = made.get("南方庄商务楼（演示）")
    if building is not None and not building.building_chiefs.exists():
        services.chief_set(actor=actor, unit=building, side="street", name="东铁匠营街道 李楼长")
        services.chief_set(actor=actor, unit=building, side="property", name="物业 王楼长")
    _small_places(actor, made, today)
    return f"unitduty: {len(made)} units, {reports} reports today"


def _site_dormitory(actor: Any, site: Unit | None, today: dt.date) -> None:
    if site is None or site.dormitories.exists():
        return
    dorm = services.dormitory_create(actor=actor, unit=site, name="16号线工地宿舍")
    for name, area, people, bunk, underground in ROOMS:
        services.room_save(
            actor=actor, dormitory=dorm, name=name, area_m2=area, occupants=people,
            bunk_beds=bunk, underground=underground,
        )  # fmt: skip
    services.dormitory_check(actor=actor, dormitory=dorm, on=today)


def _small_places(actor: Any, made: dict[str, Unit], today: dt.date) -> None:
    restaurant = made.get("镇国寺小餐馆（演示）")
    barber = made.get("镇国寺小理发店（演示）")
    if restaurant is not None and not restaurant.findings.exists():
        services.finding_raise(
            actor=actor, unit=restaurant, description="餐桌间距不足 1 米，未实行分餐",
            deadline=today + dt.timedelta(days=2), responsible="店主", on=today,
        )  # fmt: skip
    if barber is not None and not barber.findings.exists():
        services.finding_raise(
            actor=actor, unit=barber, description="工具未按要求消毒，无消毒记录",
            deadline=today - dt.timedelta(days=2), responsible="店主",
            on=today - dt.timedelta(days=5),
        )  # fmt: skip
