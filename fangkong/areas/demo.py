"""The Fengtai tree as the source document (March 2020) shows it. Names the page does not
give, and codes we could not confirm against the 2020 table (卢沟桥乡, 花乡, 长辛店镇 were
abolished in 2021 and their codes are not in the current table), are marked `is_demo`.
Codes below the street level are our own."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fangkong.areas.models import Area, AreaKind
from fangkong.areas.services import area_create, area_rename

K = AreaKind
# code, name, kind, parent code, invented name?
FENGTAI_2020: list[tuple[str, str, str, str | None, bool]] = [
    ("110106", "丰台区", K.DISTRICT, None, False),
    # 卢沟桥乡: four villages paired with four city organs.
    ("110106200", "卢沟桥乡", K.TOWNSHIP, "110106", True),
    ("110106200201", "大瓦窑村", K.VILLAGE, "110106200", True),
    ("110106200202", "小屯村", K.VILLAGE, "110106200", True),
    ("110106200203", "周庄子村", K.VILLAGE, "110106200", True),
    ("110106200204", "郭庄子村", K.VILLAGE, "110106200", True),
    # 花乡: four villages.
    ("110106201", "花乡", K.TOWNSHIP, "110106", True),
    ("110106201201", "白盆窑村", K.VILLAGE, "110106201", True),
    ("110106201202", "四合庄村", K.VILLAGE, "110106201", True),
    ("110106201203", "郭公庄村", K.VILLAGE, "110106201", True),
    ("110106201204", "羊坊村", K.VILLAGE, "110106201", True),
    # 宛平城地区: 宛平城社区 with its three bungalow zones, and two villages.
    ("110106014", "宛平城地区", K.AREA, "110106", False),
    ("110106014001", "宛平城社区", K.COMMUNITY, "110106014", False),
    ("110106014001Z1", "城内街", K.ZONE, "110106014001", False),
    ("110106014001Z2", "桥西街", K.ZONE, "110106014001", False),
    ("110106014001Z3", "城北街", K.ZONE, "110106014001", False),
    ("110106014201", "卢沟桥村", K.VILLAGE, "110106014", False),
    ("110106014202", "晓月村", K.VILLAGE, "110106014", True),
    # 长辛店镇 and 王佐镇: villages paired with 首发集团 and 公交集团.
    ("110106199", "长辛店镇", K.TOWN, "110106", True),
    ("110106199201", "张郭庄村", K.VILLAGE, "110106199", True),
    ("110106199202", "太子峪村", K.VILLAGE, "110106199", True),
    ("110106101", "王佐镇", K.TOWN, "110106", False),
    ("110106101201", "魏各庄村", K.VILLAGE, "110106101", True),
    # 马家堡街道: 镇国寺社区 (王颖's community).
    ("110106015", "马家堡街道", K.STREET, "110106", False),
    ("110106015001", "镇国寺社区", K.COMMUNITY, "110106015", False),
    # 东铁匠营街道: 南方庄社区 (party donations).
    ("110106007", "东铁匠营街道", K.STREET, "110106", False),
    ("110106007001", "南方庄社区", K.COMMUNITY, "110106007", False),
]


# The tree as it stood when the source page was printed; its nodes existed by then.
TREE_AS_OF = dt.date(2020, 1, 1)


@transaction.atomic
def load_demo_areas() -> dict[str, Area]:
    """Idempotent: existing codes are kept (a changed name is recorded as a rename)."""
    areas: dict[str, Area] = {}
    for code, name, kind, parent_code, invented in FENGTAI_2020:
        existing = Area.objects.filter(code=code).first()
        if existing is None:
            areas[code] = area_create(
                code=code,
                name=name,
                kind=kind,
                parent=areas[parent_code] if parent_code else None,
                is_demo=invented,
                effective_on=TREE_AS_OF,
            )
        else:
            areas[code] = (
                area_rename(area=existing, name=name) if existing.name != name else existing
            )
    return areas


def load_demo() -> str:
    areas = load_demo_areas()
    return f"demo data: {len(areas)} areas of 丰台区 (2020)"
