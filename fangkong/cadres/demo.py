"""Demo cadres (the seed: “150 名市级党员干部火线支援丰台” — 4 organs to 卢沟桥乡's 4
villages, 4 to 花乡's, 抗战纪念馆 to 2 villages of 宛平, 首发集团 to one village of
长辛店镇, 公交集团 to one of 长辛店镇 and one of 王佐镇; all trained, signed in, watched
for health and insured). 13 organs send 150: names are made up, except 王颖 of the
district 侨联 at 镇国寺社区, 10 km from home, with her own account. A week of health checks
and sign-ins; today one cadre has a fever (not signed in: the community's 工作台 says so);
two are not insured yet. The seed's pairing is the confirmed allocation.

Idempotent: when the organs are there, nothing is added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.demo import load_demo_accounts
from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.cadres import services
from fangkong.cadres.models import Cadre, HealthCheck, Organ, OrganKind, SignIn

ORG, ENT, INS = OrganKind.ORGAN, OrganKind.ENTERPRISE, OrganKind.INSTITUTION
# organ, kind, [(community / village code, cadres)]
PAIRING: list[tuple[str, str, list[tuple[str, int]]]] = [
    ("市纪委市监委机关", ORG, [("110106200201", 12)]),
    ("市政务服务管理局", ORG, [("110106200202", 12)]),
    ("市委党史研究室市地方志办", ORG, [("110106200203", 10)]),
    ("市检二分院", ORG, [("110106200204", 12)]),
    ("市审计局", ORG, [("110106201201", 12)]),
    ("市二中院", ORG, [("110106201202", 12)]),
    ("国家统计局北京调查队", ORG, [("110106201203", 10)]),
    ("国家大剧院", INS, [("110106201204", 12)]),
    ("中国人民抗日战争纪念馆", INS, [("110106014201", 6), ("110106014202", 6)]),
    ("首发集团", ENT, [("110106199201", 12)]),
    ("公交集团", ENT, [("110106199202", 8), ("110106101201", 8)]),
    ("市直机关工委", ORG, [("110106014001", 17)]),
    ("丰台区侨联", ORG, [("110106015001", 1)]),
]
SURNAMES = "李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "强",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
]
# The villages' people as the registry knows them, for the priority ranking (the demo
# registry has only 镇国寺 and 宛平城): registered, migrants, households not back. The
# 城乡结合部 villages of 卢沟桥乡 and 花乡 are population-inverted (人口倒挂).
VILLAGES: dict[str, tuple[int, int, int]] = {
    "110106200201": (15, 60, 3),
    "110106200202": (18, 45, 2),
    "110106200203": (20, 50, 2),
    "110106200204": (15, 40, 4),
    "110106201201": (22, 55, 3),
    "110106201202": (20, 48, 2),
    "110106201203": (18, 35, 1),
    "110106201204": (25, 60, 2),
    "110106014201": (30, 20, 1),
    "110106014202": (25, 30, 2),
    "110106199201": (28, 35, 3),
    "110106199202": (30, 15, 1),
    "110106101201": (35, 18, 2),
}
STARTED_DAYS_AGO = 16  # “近半个多月以来”
WEEK = 7


def _name(i: int) -> str:
    return (
        SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)] + GIVEN[(i * 3 + 1) % len(GIVEN)]
    )


@transaction.atomic
def load_demo() -> str:
    if Organ.objects.filter(name="丰台区侨联").exists():
        return _summary(created=False)
    if User.objects.filter(username__in=("fengtai_officer", "wang_ying")).count() < 2:
        load_demo_accounts()
    officer = User.objects.get(username="fengtai_officer")
    wang_ying_account = User.objects.filter(username="wang_ying").first()
    today = timezone.localdate()
    started = today - dt.timedelta(days=STARTED_DAYS_AGO)
    areas = {
        a.code: a for a in Area.objects.filter(code__in=[c for *_x, ps in PAIRING for c, _n in ps])
    }
    cadres: list[Cadre] = []
    lines = []
    i = 0
    for name, kind, posts in PAIRING:
        organ = services.organ_create(actor=officer, name=name, kind=kind)
        services.organ_sends_set(actor=officer, organ=organ, sends=sum(n for _c, n in posts))
        for code, number in posts:
            area = areas[code]
            lines.append((organ, area, number))
            for _k in range(number):
                i += 1
                is_wang = name == "丰台区侨联"
                cadres.append(
                    services.cadre_register(
                        actor=officer,
                        organ=organ,
                        name="王颖" if is_wang else _name(i),
                        area=area,
                        starts_on=started,
                        distance_km=Decimal("10") if is_wang else Decimal(5 + i % 30),
                        account=wang_ying_account if is_wang else None,
                    )
                )
    _villages(officer, areas)
    services.allocation_confirm(actor=officer, area=Area.objects.get(code="110106"), lines=lines)
    uninsured = {cadres[3].pk, cadres[40].pk}
    for n, cadre in enumerate(cadres):
        services.training_record(
            actor=officer, cadre=cadre, title="统一培训：工作职责、防护与注意事项", on=started
        )
        if cadre.pk not in uninsured:
            services.insurance_record(
                actor=officer,
                cadre=cadre,
                insurer="中国人寿",
                policy_number=f"FT2020{n + 1:05d}",
                starts_on=started,
                ends_on=started + dt.timedelta(days=90),
            )
    _week(cadres, officer, today)
    return _summary(created=True)


def _villages(officer: User, areas: dict[str, Area]) -> None:
    """A sample of each village's people through the registry's services (no documents:
    door-to-door records), in the proportions that rank them."""
    from fangkong.registry.models.people import Residency, Whereabouts
    from fangkong.registry.people.services import (
        address_get_or_create,
        person_register,
        residence_set,
    )

    for code, (registered, migrants, not_back) in VILLAGES.items():
        area = areas[code]
        for n in range(registered + migrants):
            person_register(
                actor=officer,
                area=area,
                data={
                    "name": _name(n + 7),
                    "residency": Residency.REGISTERED if n < registered else Residency.MIGRANT,
                },
                require_document=False,
            )
        for n in range(not_back):
            away = person_register(
                actor=officer,
                area=area,
                data={
                    "name": _name(n + 3),
                    "whereabouts": Whereabouts.NOT_BACK,
                    "away_from": "河北省保定市",
                },
                require_document=False,
            )
            address = address_get_or_create(area=area, building=f"{n + 1}号院", room="")
            residence_set(person=away, address=address, kind="owner")


def _week(cadres: list[Cadre], officer: User, today: dt.date) -> None:
    """The six days before today as history (bulk), today through the services: one
    cadre with a fever this morning (cannot serve), everyone else signed in."""
    checks, signs = [], []
    for day in range(WEEK - 1, 0, -1):
        on = today - dt.timedelta(days=day)
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(8, 20)))
        for n, cadre in enumerate(cadres):
            checks.append(
                HealthCheck(
                    cadre=cadre,
                    area=cadre.area,
                    on=on,
                    temperature=Decimal("36.3") + Decimal(n % 5) / 10,
                    symptoms=False,
                    fit=True,
                    recorded_by=officer,
                    at=at,
                )
            )
            signs.append(SignIn(cadre=cadre, area=cadre.area, on=on, at=at, by=officer))
    HealthCheck.objects.bulk_create(checks)
    SignIn.objects.bulk_create(signs)
    feverish = cadres[20]
    for n, cadre in enumerate(cadres):
        actor = cadre.account or officer
        temperature = "37.8" if cadre is feverish else f"36.{n % 7 + 2}"
        services.health_check_record(actor=actor, cadre=cadre, temperature=temperature)
        if cadre is not feverish:
            services.sign_in(actor=actor, cadre=cadre)


def _summary(*, created: bool) -> str:
    today = timezone.localdate()
    word = "loaded" if created else "already there"
    return (
        f"demo cadres ({word}): {Organ.objects.count()} organs, {Cadre.objects.count()} cadres, "
        f"{SignIn.objects.filter(on=today).count()} signed in today, "
        f"{HealthCheck.objects.filter(on=today, fit=False).count()} unwell"
    )
