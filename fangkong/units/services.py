"""The only code that writes units. Registry (an employer named in a screening sheet) and
arrivals (the employer of a unit observation) register units through here, matched by one
rule (units.selectors.units_matching)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.areas.models import Area
from fangkong.core.crypto import encrypt
from fangkong.core.errors import invalid
from fangkong.core.identity import mask_phone
from fangkong.units.models import Unit, UnitKind
from fangkong.units.selectors import units_matching


def _clean_name(name: str, field: str) -> str:
    name = (name or "").strip()
    if not name:
        raise invalid(field, _("请填写单位名称"), "required")
    if len(name) > 100:
        raise invalid(field, _("单位名称不能超过 100 个字"), "too_long")
    return name


@transaction.atomic
def unit_get_or_register(
    *,
    area: Area,
    name: str,
    kind: str = UnitKind.OTHER,
    contact_name: str = "",
    contact_phone_e164: str = "",
    field: str = "unit_name",
) -> Unit:
    """The unit called `name` that serves `area`, registered at `area` when there is none.
    The caller has checked the area is within its actor's scope and normalised the phone."""
    name = _clean_name(name, field)
    existing = units_matching(area=area, names=[name]).get(name)
    if existing is not None:
        return Unit.objects.get(pk=existing)
    unit = Unit(
        area=area,
        name=name,
        kind=kind,
        contact_name=(contact_name or "").strip()[:50],
        contact_phone_cipher=encrypt(contact_phone_e164) if contact_phone_e164 else None,
        contact_phone_masked=mask_phone(contact_phone_e164) if contact_phone_e164 else "",
    )
    unit.full_clean()
    unit.save()
    return unit


def units_get_or_register_many(*, area: Area, wanted: dict[str, Area]) -> dict[str, int]:
    """Name → unit id for many names at once (an import's employers): each name as
    `units_matching` finds it for `area`, the rest registered at the area given for them.
    Runs inside the caller's transaction."""
    found = units_matching(area=area, names=wanted)
    missing = [
        Unit(area=where, name=_clean_name(name, "employer"), kind=UnitKind.OTHER)
        for name, where in wanted.items()
        if name not in found
    ]
    if missing:
        Unit.objects.bulk_create(missing, batch_size=500)
        found.update(units_matching(area=area, names=[u.name for u in missing]))
    return found
