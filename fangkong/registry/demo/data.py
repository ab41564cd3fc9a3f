"""The demo's fixed facts and pools: the two communities of the source page (March 2020),
their sizes and units, and the names, places and numbers people are drawn from. Also
read by `fangkong synth`, whose people are drawn from the same pools."""

from __future__ import annotations

import datetime as dt

from fangkong.units.models import UnitKind

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
