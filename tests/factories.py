"""Test data built through the services, so it is data the app itself could have made."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fangkong.areas.models import Area
from fangkong.core.identity import resident_id_check_digit
from fangkong.registry.models import Person
from fangkong.registry.people.services import (
    address_get_or_create,
    person_register,
    residence_set,
)

_seq = itertools.count(1)


def valid_id(
    n: int | None = None, *, region: str = "110106", born: dt.date | None = None, male: bool = True
) -> str:
    n = next(_seq) if n is None else n
    born = born or dt.date(1960, 1, 1) + dt.timedelta(days=(n * 37) % 15000)
    order = (n % 499) * 2 + (1 if male else 0)
    first17 = f"{region}{born:%Y%m%d}{order:03d}"
    return first17 + resident_id_check_digit(first17)


def valid_mobile(n: int | None = None) -> str:
    n = next(_seq) if n is None else n
    return f"139{n:08d}"


def make_person(
    actor: Any,
    area: Area,
    name: str = "张三",
    *,
    building: str = "",
    room: str = "",
    kind: str = "owner",
    landlord: Person | None = None,
    **data: Any,
) -> Person:
    data.setdefault("document_number", valid_id())
    data.setdefault("phone", valid_mobile())
    person = person_register(
        actor=actor, area=area, data={"name": name, **data}, require_document=False
    )
    if building:
        address = address_get_or_create(area=area, building=building, room=room)
        residence_set(person=person, address=address, kind=kind, landlord=landlord)
    return person


def full_keyed_hash(master: str, kind: str, value: str) -> str:
    """The keyed hash as first specified, all 256 bits: HMAC-SHA256 of "kind NUL value"
    under the second half of the HKDF of the field key (blind_index keeps its first 128)."""
    material = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=b"fangkong-fields", info=b"enc+mac"
    ).derive(master.encode())
    return hmac.new(material[32:], f"{kind}\x00{value}".encode(), hashlib.sha256).hexdigest()
