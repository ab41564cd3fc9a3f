"""The monthly hours workbook (for the lending units' recognition lists)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from fangkong.duty.selectors import HoursRow


@dataclass(frozen=True)
class Column:
    label: Any
    width: int = 14
    text: bool = False

    @property
    def title(self) -> str:
        return str(self.label)


HOURS_COLUMNS = (
    Column(_("姓名"), 12, text=True),
    Column(_("值守身份"), 12, text=True),
    Column(_("派出单位"), 30, text=True),
    Column(_("班次数"), 8),
    Column(_("时长（小时）"), 12),
)


def hours_rows(people: list[HoursRow], units: list[HoursRow]) -> Iterator[list[Any]]:
    for r in people:
        yield [r.name, r.role, r.unit, r.shifts, r.hours]
    if units:
        yield ["", "", "", "", ""]
        for u in units:
            yield [str(_("单位合计")), "", u.name, u.shifts, u.hours]
