from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from fangkong.areas.models import KIND_LEVEL, LIVING_KINDS, Area, AreaKind
from fangkong.core.errors import invalid
from fangkong.core.scoping import scope_filter


def area_visible_by_code(*, user: Any, code: str, field_name: str = "area") -> Area:
    """An area the user may act in, by code; unknown and out-of-scope read the same."""
    area = Area.objects.visible_to(user).filter(code=code).select_related("parent").first()
    if area is None:
        raise invalid(
            field_name,
            _("区域代码“%(code)s”不存在或不在您的管辖范围内") % {"code": code},
            "unknown_area",
        )
    return area


def living_areas_visible_to(user: Any) -> QuerySet[Area]:
    """The communities, villages and zones a user may act in, in tree order: the choices
    of every form that places a person, a notice, a pass or a gate."""
    return Area.objects.visible_to(user).current().filter(kind__in=LIVING_KINDS).order_by("path")


@dataclass
class ChildSummary:
    area: Area
    communities: int
    zones: int
    accounts: int


def area_children_summary(*, area: Area) -> list[ChildSummary]:
    """For the home page: each direct child with real counts over its own subtree
    (two small aggregate queries per child; a node has tens of children at most)."""
    children = list(area.children.current().order_by("code"))
    out = []
    for child in children:
        below = Area.objects.current().subtree_of(child)
        kinds = below.aggregate(
            communities=Count("id", filter=Q(kind__in=[AreaKind.COMMUNITY, AreaKind.VILLAGE])),
            zones=Count("id", filter=Q(kind=AreaKind.ZONE)),
        )
        accounts = below.aggregate(n=Count("accounts"))["n"]
        out.append(ChildSummary(child, kinds["communities"], kinds["zones"], accounts))
    return out


def area_subtree_totals(*, area: Area) -> dict[str, int]:
    below = Area.objects.current().subtree_of(area).exclude(pk=area.pk)
    counts = dict(below.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {kind: counts.get(kind, 0) for kind in AreaKind.values}


def areas_for_user(*, user: Any) -> Any:
    condition = scope_filter(Area, user)
    qs = Area.objects.select_related("parent", "successor")
    return qs if condition is None else qs.filter(condition)


def levels_below(area: Area) -> dict[str, bool]:
    """Which counts make sense under this node: a community has zones, not streets."""
    level = KIND_LEVEL[area.kind]
    return {
        "streets": level < 1,
        "communities": level < 2,
        "zones": level < 3,
        "child_communities": level < 1,
        "child_zones": level < 2,
    }
