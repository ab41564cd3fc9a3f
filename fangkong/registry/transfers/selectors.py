"""Handovers a user may see, by the side they are on."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fangkong.core.scoping import scope_filter, subtree_q
from fangkong.registry.models import Transfer, TransferStatus

INCOMING, OUTGOING, DONE = "incoming", "outgoing", "done"
STATES = (INCOMING, OUTGOING, DONE)


def transfers_list(*, user: Any, state: str = INCOMING) -> QuerySet[Transfer]:
    """`incoming`: waiting for this user's community to answer (it holds the record);
    `outgoing`: this community's requests still waiting; `done`: answered or withdrawn,
    either side."""
    qs = Transfer.objects.visible_to(user).select_related(
        "person__area", "from_area", "to_area", "address", "requested_by", "decided_by"
    )
    if state == DONE:
        return qs.exclude(status=TransferStatus.PENDING)
    qs = qs.filter(status=TransferStatus.PENDING)
    if scope_filter(Transfer, user) is None:  # the whole district: every pending one
        return qs if state == INCOMING else qs.none()
    side = "from_area__path" if state == INCOMING else "to_area__path"
    return qs.filter(subtree_q(side, user.area.path))


def sees_person(user: Any, transfer: Transfer) -> bool:
    """Whether `user` may see the transfer's person now (the holder; the asker once the
    record is theirs), from the loaded area path: no query per row of a list."""
    if getattr(user, "sees_everything", False):
        return True
    if user.area_id is None:
        return False
    return str(transfer.person.area.path).startswith(user.area.path)
