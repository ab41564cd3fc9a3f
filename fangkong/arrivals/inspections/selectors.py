"""Read queries of inspections and letters: a checklist as answered, and the printable
responsibility letters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from fangkong.arrivals.models import (
    CHECKLISTS,
    ArrivalNotice,
    Decision,
    Inspection,
    ObservationMode,
    ResponsibilityLetter,
)
from fangkong.arrivals.notices.rules import NOT_COUNTED, observation_window
from fangkong.policy.models import PolicyVersion
from fangkong.units.models import Unit


def checklist_rows(inspection: Inspection) -> list[tuple[str, bool]]:
    items = CHECKLISTS.get(inspection.kind, {})
    return [(label, bool(inspection.checklist.get(code))) for code, label in items.items()]


@dataclass
class LetterSheet:
    """What one printed responsibility letter says, from the unit's and notice's data."""

    notice: ArrivalNotice
    unit: Unit
    letter: ResponsibilityLetter | None
    people: int
    days: int
    first_day: dt.date
    last_day: dt.date
    policy: PolicyVersion | None


def letters_for_print(*, user: Any, ids: Iterable[int]) -> list[LetterSheet]:
    """Letters for the unit notices among `ids` the user may see (unsigned ones print
    blank for signing on paper)."""
    wanted = list(dict.fromkeys(ids))
    notices = (
        ArrivalNotice.objects.visible_to(user)
        .filter(pk__in=wanted, mode=ObservationMode.UNIT, unit__isnull=False)
        .exclude(decision=Decision.MUST_NOT_RETURN)
        .exclude(status__in=NOT_COUNTED)
        .select_related("unit", "area", "policy", "address", "letter")
        .annotate(people_count=Count("people"))
    )
    by_id = {n.pk: n for n in notices}
    sheets = []
    for pk in wanted:
        notice = by_id.get(pk)
        if notice is None or notice.unit is None:
            continue
        first, last = observation_window(notice)
        letter = ResponsibilityLetter.objects.filter(notice=notice).first()
        sheets.append(
            LetterSheet(
                notice=notice,
                unit=notice.unit,
                letter=letter,
                people=notice.people_count,
                days=notice.observation_days or 0,
                first_day=first,
                last_day=last,
                policy=notice.policy,
            )
        )
    return sheets
