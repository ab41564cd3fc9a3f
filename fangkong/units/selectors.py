"""Reads of units, scoped."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from fangkong.areas.models import Area
from fangkong.core.scoping import subtree_q
from fangkong.units.models import Unit


def _reach(area: Area) -> Q:
    """Units that serve `area`: at the area itself, above it (a community's unit serves its
    zones) or below it (a zone's unit belongs to its community too)."""
    ancestors = [area.path[: i + 1] for i, c in enumerate(area.path) if c == "/"]
    return Q(area__path__in=ancestors) | subtree_q("area__path", area.path)


def units_matching(*, area: Area, names: Iterable[str]) -> dict[str, int]:
    """Name → id of the unit each name means for `area` (the one matching rule of every app:
    same name, serving the area; the nearest, i.e. deepest, first)."""
    wanted = {name for name in names if name}
    found: dict[str, int] = {}
    if not wanted:
        return found
    rows = (
        Unit.objects.filter(_reach(area), name__in=wanted)
        .order_by("-area__depth", "id")
        .values_list("name", "id")
    )
    for name, unit_id in rows:
        found.setdefault(name, unit_id)
    return found


def units_for_area(*, area: Area) -> list[Unit]:
    """The units that serve `area`, by name (for pickers)."""
    return list(Unit.objects.filter(_reach(area)).select_related("area").order_by("name"))
