"""Where the sent-down cadres go (#16): the district enters how many each organ sends
(`Organ.sends`); the proposal ranks the communities and villages of an area by a
priority computed from the registry, gives the top targets numbers by the largest
remainder (so they add up exactly to the cadres sent), and fills them organ by organ in
the order of their street / township, so that an organ's cadres stay together where
they can. Officers read why each target ranks where it does, adjust, and confirm
(services.allocation_confirm); streets and townships reassign within their area.

Priority of a target (each part is shown):
* 人口倒挂: migrants per registered resident (over 1: more migrants than residents);
* households with someone not back, per thousand (the seed's line is 1,000 households);
* people under observation per community worker account (how stretched the team is)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, TypeVar

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.areas.models import Area, AreaKind
from fangkong.arrivals.models import Observation, ObservationStatus
from fangkong.cadres.models import Organ
from fangkong.registry.models import Person, Residence
from fangkong.registry.models.people import Residency, Whereabouts

K = TypeVar("K", bound=Hashable)

TARGET_KINDS = (AreaKind.COMMUNITY, AreaKind.VILLAGE)
# Cadres per target at most when choosing how many targets get cadres (the seed: 150
# cadres to about a dozen villages).
PER_TARGET = 12
NOT_BACK_LINE = 1000  # households not back: the seed's priority line


def largest_remainder(total: int, weights: Mapping[K, Any]) -> dict[K, int]:
    """`total` split in proportion to `weights` (≥ 0), whole numbers adding up to exactly
    `total` (Hamilton's method: floors first, then one more to the largest remainders, ties
    to the earlier key). All weights zero: an even split."""
    if total < 0:
        raise ValueError("total must be ≥ 0")
    keys = list(weights)
    if not keys:
        if total:
            raise ValueError("no targets to split among")
        return {}
    exact = {k: Fraction(str(weights[k])) for k in keys}
    if any(w < 0 for w in exact.values()):
        raise ValueError("weights must be ≥ 0")
    whole = sum(exact.values())
    if whole == 0:
        exact = {k: Fraction(1) for k in keys}
        whole = Fraction(len(keys))
    quotas = {k: exact[k] * total / whole for k in keys}
    out = {k: int(quotas[k]) for k in keys}  # floor: quotas are ≥ 0
    left = total - sum(out.values())
    order = sorted(keys, key=lambda k: (-(quotas[k] - out[k]), keys.index(k)))
    for k in order[:left]:
        out[k] += 1
    return out


@dataclass
class Target:
    area: Area
    parent: str  # street / township name
    registered: int
    migrants: int
    not_back_households: int
    observed: int
    workers: int
    score: Decimal = Decimal(0)
    reasons: list[str] = field(default_factory=list)
    proposed: int = 0
    organs: dict[str, int] = field(default_factory=dict)

    @property
    def inverted(self) -> bool:
        return self.migrants > self.registered


def _targets(area: Area) -> list[Target]:
    below = Area.objects.filter(path__startswith=area.path, kind__in=TARGET_KINDS).select_related(
        "parent"
    )
    targets = {a.pk: a for a in below}
    if not targets:
        return []
    by_path = sorted(targets.values(), key=lambda a: -len(a.path))

    def target_of(path: str) -> int | None:
        for candidate in by_path:
            if path.startswith(candidate.path):
                return candidate.pk
        return None

    stats: dict[int, dict[str, int]] = {pk: {} for pk in targets}

    def add(path: str, key: str, n: int) -> None:
        pk = target_of(path)
        if pk is not None:
            stats[pk][key] = stats[pk].get(key, 0) + n

    people = Person.objects.active().filter(area__path__startswith=area.path)
    for row in (
        people.values("area__path")
        .annotate(
            registered=Count("pk", filter=Q(residency=Residency.REGISTERED)),
            migrants=Count("pk", filter=Q(residency=Residency.MIGRANT)),
        )
        .order_by()
    ):
        add(row["area__path"], "registered", row["registered"])
        add(row["area__path"], "migrants", row["migrants"])
    not_back = Residence.objects.current().filter(
        person__whereabouts=Whereabouts.NOT_BACK,
        person__merged_into__isnull=True,
        address__area__path__startswith=area.path,
    )
    for row in (
        not_back.values("address__area__path")
        .annotate(n=Count("address", distinct=True))
        .order_by()
    ):
        add(row["address__area__path"], "not_back", row["n"])
    observed = Observation.objects.filter(
        status=ObservationStatus.ACTIVE, area__path__startswith=area.path
    )
    for row in observed.values("area__path").annotate(n=Count("pk")).order_by():
        add(row["area__path"], "observed", row["n"])
    workers = User.objects.filter(
        is_active=True, role=Role.COMMUNITY_WORKER, area__path__startswith=area.path
    )
    for row in workers.values("area__path").annotate(n=Count("pk")).order_by():
        add(row["area__path"], "workers", row["n"])
    return [
        Target(
            area=a,
            parent=a.parent.name if a.parent else "",
            registered=stats[a.pk].get("registered", 0),
            migrants=stats[a.pk].get("migrants", 0),
            not_back_households=stats[a.pk].get("not_back", 0),
            observed=stats[a.pk].get("observed", 0),
            workers=stats[a.pk].get("workers", 0),
        )
        for a in targets.values()
    ]


def _score(target: Target) -> None:
    """The priority and its reasons (Chinese, as the officers read them)."""
    three = Decimal("0.001")
    inversion = Decimal(target.migrants) / Decimal(max(target.registered, 1))
    not_back = Decimal(target.not_back_households) / Decimal(NOT_BACK_LINE)
    load = Decimal(target.observed) / Decimal(max(target.workers, 1)) / Decimal(10)
    target.score = (inversion + not_back + load).quantize(three, ROUND_HALF_UP)
    target.reasons = [
        _("流动人口 %(m)s / 常住人口 %(r)s = %(x)s")
        % {"m": target.migrants, "r": target.registered, "x": inversion.quantize(three)}
        + (_("（人口倒挂）") if target.inverted else ""),
        _("有人未返京的户 %(n)s 户（÷%(line)s = %(x)s）")
        % {"n": target.not_back_households, "line": NOT_BACK_LINE, "x": not_back.quantize(three)},
        _("居家观察 %(n)s 人 / 社区工作者 %(w)s 人（÷10 = %(x)s）")
        % {"n": target.observed, "w": target.workers, "x": load.quantize(three)},
    ]


@dataclass
class Proposal:
    area: Area
    organs: list[tuple[Organ, int]]
    targets: list[Target]  # ranked, all of them
    total: int

    @property
    def chosen(self) -> list[Target]:
        return [t for t in self.targets if t.proposed]

    @property
    def proposed_total(self) -> int:
        return sum(t.proposed for t in self.targets)


def propose(*, area: Area, sends: Mapping[int, int] | None = None) -> Proposal:
    """The proposal for the cadres the organs send (`sends`: organ id → number; by default
    each organ's `sends`) over the communities and villages under `area`."""
    organs = list(Organ.objects.order_by("-sends", "name"))
    given = [(o, o.sends if sends is None else sends.get(o.pk, 0)) for o in organs]
    numbers = [(o, n) for o, n in given if n > 0]
    total = sum(n for _o, n in numbers)
    targets = _targets(area)
    for target in targets:
        _score(target)
    targets.sort(key=lambda t: (-t.score, t.area.path))
    if total and targets:
        count = min(len(targets), max(1, -(-total // PER_TARGET)))
        chosen = targets[:count]
        split = largest_remainder(total, {t.area.pk: t.score for t in chosen})
        for target in chosen:
            target.proposed = split[target.area.pk]
        _fill(sorted(chosen, key=lambda t: t.area.path), numbers)
    return Proposal(area=area, organs=numbers, targets=targets, total=total)


def _fill(targets: list[Target], numbers: list[tuple[Organ, int]]) -> None:
    """Organs in turn, largest first, fill the targets in the order of their street /
    township: an organ is split only where a target's number runs out."""
    room = [t.proposed for t in targets]
    i = 0
    for organ, n in numbers:
        while n > 0 and i < len(targets):
            take = min(room[i], n)
            if take:
                targets[i].organs[organ.name] = targets[i].organs.get(organ.name, 0) + take
            n -= take
            room[i] -= take
            if room[i] == 0:
                i += 1
