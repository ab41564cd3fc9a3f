"""Scoped reads of the party app: organisations, members, donations, remittances; each
organisation's position (collected + received = passed up + held), the day's summary
with its children, and the reconciliation of a subtree with its differences.

The summary and the reconciliation read a whole subtree in a few grouped queries over the
branches' day totals (`BranchDay`, kept by the services) and add up whole fen in Python (a
district: 140,000 members, tens of thousands of donations a day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from fangkong.core.scoping import subtree_q
from fangkong.party.models import (
    ZERO,
    BranchDay,
    Donation,
    DonationImport,
    ImportStatus,
    Member,
    Organisation,
    OrgKind,
    Remittance,
    from_fen,
)


def orgs_visible(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user).select_related("area", "parent", "treasurer")


def members_visible(user: Any) -> QuerySet[Member]:
    return Member.objects.visible_to(user).select_related("person", "branch")


def donations_visible(user: Any) -> QuerySet[Donation]:
    return Donation.objects.visible_to(user).select_related("member__person", "branch", "by")


def remittances_visible(user: Any) -> QuerySet[Remittance]:
    return Remittance.objects.visible_to(user).select_related("from_org", "to_org")


def to_receive(user: Any) -> QuerySet[Remittance]:
    """Batches sent to an organisation the user may see, not received yet."""
    receivers = Organisation.objects.visible_to(user).values("pk")
    return remittances_visible(user).filter(to_org__in=receivers, received_at__isnull=True)


def received_with_difference(user: Any) -> QuerySet[Remittance]:
    receivers = Organisation.objects.visible_to(user).values("pk")
    qs = remittances_visible(user).filter(to_org__in=receivers, received_at__isnull=False)
    return qs.exclude(received_fen=F("amount_fen"))


def holding(user: Any) -> list[tuple[Organisation, Position]]:
    """The organisations `user` keeps the money of (named their treasurer) that hold money
    not yet passed up to the level above, with their positions."""
    mine = Organisation.objects.filter(treasurer=user, parent__isnull=False).order_by("path")
    held = [(org, org_position(org)) for org in mine]
    return [(org, p) for org, p in held if p.held > 0]


def imports_waiting(user: Any) -> QuerySet[DonationImport]:
    """Transfer lists read and matched, waiting for their treasurer to confirm them."""
    return DonationImport.objects.visible_to(user).filter(status=ImportStatus.PREVIEW, by=user)


def top_orgs(user: Any) -> list[Organisation]:
    """The visible organisations whose parent the user cannot see (the roots of their
    view of the tree)."""
    orgs = list(orgs_visible(user))
    ids = {o.pk for o in orgs}
    return [o for o in orgs if o.parent_id not in ids]


# --- positions --------------------------------------------------------------------------


@dataclass
class Position:
    collected: Decimal = ZERO  # donations to its branches (its own, for a branch)
    received: Decimal = ZERO  # batches from below, as counted on receipt
    passed_up: Decimal = ZERO  # batches it sent up
    in_transit: Decimal = ZERO  # of those, not yet received above

    @property
    def held(self) -> Decimal:
        return self.collected + self.received - self.passed_up


def org_position(org: Organisation) -> Position:
    """One organisation's own ledger (not its subtree's)."""
    collected = Donation.objects.filter(branch=org).aggregate(s=Sum("amount_fen"))["s"]
    received = Remittance.objects.filter(to_org=org, received_at__isnull=False).aggregate(
        s=Sum("received_fen")
    )["s"]
    sent = Remittance.objects.filter(from_org=org).aggregate(
        s=Sum("amount_fen"), transit=Sum("amount_fen", filter=Q(received_at__isnull=True))
    )
    return Position(
        collected=from_fen(collected),
        received=from_fen(received),
        passed_up=from_fen(sent["s"]),
        in_transit=from_fen(sent["transit"]),
    )


# --- the summary ------------------------------------------------------------------------


@dataclass
class Figures:
    org: Organisation | None
    members: int = 0
    donors: int = 0
    amount_fen: int = 0
    above_suggested: int = 0
    total_donors: int = 0
    total_fen: int = 0
    total_above: int = 0
    children: list[Figures] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)

    @property
    def total_amount(self) -> Decimal:
        return from_fen(self.total_fen)

    @property
    def participation(self) -> Decimal:
        if not self.members:
            return Decimal("0.0000")
        return (Decimal(self.donors) / Decimal(self.members)).quantize(Decimal("0.0001"))


def _child_of(root: Organisation, path: str) -> int:
    rest = path[len(root.path) :]
    return int(rest.split("/", 1)[0]) if rest else root.pk


def _per_branch(root: Organisation, on: dt.date) -> list[tuple[int, ...]]:
    """(branch id, fen to date, fen on the day, donors to date, donors on the day,
    above-suggested donations to date, on the day) of the branches under `root`, from the
    branches' day totals (`BranchDay`): a district's tens of thousands of donations a day
    are read as a few thousand rows."""
    that_day = Q(on=on)
    rows = (
        BranchDay.objects.filter(on__lte=on, branch__in=_subtree_ids(root))
        .values("branch_id")
        .annotate(
            total=Sum("amount_fen"),
            day=Sum("amount_fen", filter=that_day),
            total_donors=Sum("first_donors"),
            donors=Sum("donors", filter=that_day),
            total_above=Sum("above_suggested"),
            above=Sum("above_suggested", filter=that_day),
        )
        .order_by()
        .values_list("branch_id", "total", "day", "total_donors", "donors", "total_above", "above")
    )
    return [tuple(int(v or 0) for v in row) for row in rows]


def _subtree_ids(root: Organisation) -> QuerySet[Organisation, Any]:
    return Organisation.objects.filter(subtree_q("path", root.path)).order_by().values("pk")


def summary(root: Organisation, on: dt.date) -> Figures:
    """Donors, amount, members and above-suggested count of `root`'s subtree on day `on`
    and cumulatively up to it, and the same for each child (drill-down)."""
    subtree = Organisation.objects.filter(subtree_q("path", root.path))
    children = list(Organisation.objects.filter(parent=root).order_by("path"))
    figures = {root.pk: Figures(root), **{c.pk: Figures(c) for c in children}}
    # Each organisation of the subtree counts in the root and in the child it lies under.
    buckets: dict[int, list[Figures]] = {}
    for pk, path in subtree.values_list("pk", "path"):
        child = _child_of(root, path)
        buckets[pk] = [figures[root.pk]] + ([figures[child]] if child != root.pk else [])

    members = (
        Member.objects.filter(branch__in=subtree.values("pk"), active=True)
        .values_list("branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for branch_id, n in members:
        for f in buckets[branch_id]:
            f.members += n
    for branch_id, total, day, total_donors, donors, total_above, above in _per_branch(root, on):
        for f in buckets[branch_id]:
            f.total_fen += total
            f.amount_fen += day
            f.total_donors += total_donors
            f.donors += donors
            f.total_above += total_above
            f.above_suggested += above
    top = figures[root.pk]
    top.children = [figures[c.pk] for c in children]
    return top


# --- reconciliation ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrgRef:
    """An organisation as the reconciliation shows it (a district has thousands: plain
    rows, not model instances)."""

    pk: int
    name: str
    kind: str
    parent_id: int | None

    def get_kind_display(self) -> str:
        return str(OrgKind(self.kind).label)


@dataclass(frozen=True)
class BatchRef:
    pk: int
    number: str
    from_org: OrgRef
    sent_on: dt.date

    @property
    def from_org_id(self) -> int:
        return self.from_org.pk


@dataclass
class Difference:
    kind: str  # "not_received" | "amount_differs"
    remittance: BatchRef
    sent_fen: int
    received_fen: int | None

    @property
    def sent(self) -> Decimal:
        return from_fen(self.sent_fen)

    @property
    def received(self) -> Decimal | None:
        return None if self.received_fen is None else from_fen(self.received_fen)

    @property
    def gap(self) -> Decimal:
        return (self.received or ZERO) - self.sent


@dataclass
class Level:
    """One organisation of a reconciliation. Sums are kept in whole fen (`fen`: collected,
    received, passed up, in transit, sent to it from below) and turned into yuan when read."""

    org: OrgRef
    fen: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    differences: list[Difference] = field(default_factory=list)

    @property
    def position(self) -> Position:
        collected, received, passed_up, in_transit, _from_below = self.fen
        return Position(
            collected=from_fen(collected),
            received=from_fen(received),
            passed_up=from_fen(passed_up),
            in_transit=from_fen(in_transit),
        )

    @property
    def held_fen(self) -> int:
        collected, received, passed_up, _in_transit, _from_below = self.fen
        return collected + received - passed_up

    @property
    def from_below_sent(self) -> Decimal:  # what its children say they sent it
        return from_fen(self.fen[4])


def reconciliation(root: Organisation) -> list[Level]:
    """Every organisation of `root`'s subtree (in tree order) with its position and the
    differences between what its children sent and what it received. What branches
    collected comes from their day totals; a batch is received exactly when its received
    amount is set (the model's constraint), so no timestamp is read."""
    subtree = Organisation.objects.filter(subtree_q("path", root.path)).order_by("path")
    orgs = [OrgRef(*row) for row in subtree.values_list("pk", "name", "kind", "parent_id")]
    levels = {o.pk: Level(o) for o in orgs}
    ids = _subtree_ids(root)
    for branch_id, collected in (
        BranchDay.objects.filter(branch__in=ids)
        .values("branch_id")
        .annotate(s=Sum("amount_fen"))
        .order_by()
        .values_list("branch_id", "s")
    ):
        levels[branch_id].fen[0] = collected or 0
    batches = (
        Remittance.objects.filter(from_org__in=ids)
        .order_by("sent_on", "pk")
        .values_list("pk", "number", "from_org_id", "to_org_id", "sent_on", "amount_fen",
                     "received_fen")
    )  # fmt: skip
    for pk, number, from_id, to_id, sent_on, amount_fen, received_fen in batches:
        sender = levels[from_id].fen
        sender[2] += amount_fen
        if received_fen is None:
            sender[3] += amount_fen
        receiving = levels.get(to_id)
        if receiving is None:  # sent above the root: the root's own concern
            continue
        receiving.fen[4] += amount_fen
        if received_fen is not None:
            receiving.fen[1] += received_fen
            if received_fen == amount_fen:
                continue
        batch = BatchRef(pk, number, levels[from_id].org, sent_on)
        kind = "not_received" if received_fen is None else "amount_differs"
        receiving.differences.append(Difference(kind, batch, amount_fen, received_fen))
    return [levels[o.pk] for o in orgs]


def is_branch(org: Organisation) -> bool:
    return org.kind == OrgKind.BRANCH
