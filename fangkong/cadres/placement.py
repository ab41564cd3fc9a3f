"""Putting the cadres where a confirmed allocation says (services.allocation_confirm), and
how far each confirmed line is from being met.

For each organ of the confirmation, its pool is its serving cadres under the confirming
area (the whole district at the top; a street or township moves only its own), plus, at
the top, those with no current post. A cadre already at a target that still needs cadres
of that organ stays (the longest-serving first); the others — at places no longer
allocated, surplus at a target, or with no post — fill the targets still short (surplus
at a target first), in the order of the lines (the proposal's priority), so an organ's
people go together. An organ
with fewer registered cadres than it sends leaves a shortfall: listed, not an error.
Cadres left over (an organ registered more than it sends) stay where they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from fangkong.areas.models import Area
from fangkong.cadres.models import Allocation, Cadre, Deployment, Organ


@dataclass(frozen=True)
class Move:
    cadre: Cadre
    target: Area


@dataclass(frozen=True)
class Short:
    organ: Organ
    target: Area
    number: int  # confirmed
    present: int  # serving there now

    @property
    def missing(self) -> int:
        return self.number - self.present


@dataclass
class Placement:
    moves: list[Move] = field(default_factory=list)
    kept: int = 0
    shortfall: list[Short] = field(default_factory=list)
    spare: int = 0  # registered beyond what the organ sends here: left where they are


def pool(*, actor: Any, area: Area, organs: Sequence[Organ]) -> list[Cadre]:
    """The organs' serving cadres the confirmation may move (locked for the move)."""
    current = Deployment.objects.filter(cadre=OuterRef("pk"), ends_on__isnull=True)
    qs = Cadre.objects.visible_to(actor).filter(organ__in=organs, active=True)
    under = Q(area__path__startswith=area.path)
    qs = qs.filter(under | Q(area__isnull=True)) if area.parent_id is None else qs.filter(under)
    return list(
        qs.select_for_update(of=("self",))
        .annotate(since=Subquery(current.values("starts_on")[:1]))
        .order_by("organ_id", "since", "pk")
    )


def plan(*, cadres: Sequence[Cadre], lines: Sequence[tuple[Organ, Area, int]]) -> Placement:
    """Who stays, who moves where, and what each target still lacks (see the module)."""
    out = Placement()
    by_organ: dict[int, list[Cadre]] = {}
    for cadre in cadres:
        by_organ.setdefault(cadre.organ_id, []).append(cadre)
    wanted: dict[int, list[tuple[Organ, Area, int]]] = {}
    for organ, target, number in lines:
        if number:
            wanted.setdefault(organ.pk, []).append((organ, target, number))
    for organ_id, organ_lines in wanted.items():
        need = {target.pk: number for _o, target, number in organ_lines}
        free = []
        for cadre in by_organ.get(organ_id, []):
            if need.get(cadre.area_id or 0, 0) > 0:
                need[cadre.area_id or 0] -= 1
                out.kept += 1
            else:
                free.append(cadre)
        # Surplus at a target leaves first (its target must come down to its number), then
        # those with no post, then those at places no longer allocated.
        free.sort(key=lambda c: 0 if c.area_id in need else 1 if c.area_id is None else 2)
        for organ, target, number in organ_lines:
            while need[target.pk] > 0 and free:
                out.moves.append(Move(free.pop(0), target))
                need[target.pk] -= 1
            if need[target.pk]:
                out.shortfall.append(Short(organ, target, number, number - need[target.pk]))
        out.spare += len(free)
    return out


def shortfall(*, user: Any, area: Area) -> list[Short]:
    """The confirmed lines under `area` with fewer of the organ's cadres serving at the
    target than confirmed (the allocation page and API list them)."""
    rows = (
        Allocation.objects.visible_to(user)
        .filter(area__path__startswith=area.path)
        .select_related("organ", "area")
        .order_by("area__path", "organ__name")
    )
    present: dict[tuple[int, int], int] = {}
    for organ_id, area_id in Cadre.objects.filter(
        active=True, area__path__startswith=area.path
    ).values_list("organ_id", "area_id"):
        present[(organ_id, area_id)] = present.get((organ_id, area_id), 0) + 1
    return [
        Short(row.organ, row.area, row.number, present.get((row.organ_id, row.area_id), 0))
        for row in rows
        if present.get((row.organ_id, row.area_id), 0) < row.number
    ]
