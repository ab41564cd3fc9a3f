"""The only code that writes units. Registry (an employer named in a screening sheet) and
arrivals (the employer of a unit observation) register units through here, matched by one
rule (units.selectors.units_matching)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.areas.models import Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.crypto import encrypt
from fangkong.core.errors import invalid
from fangkong.core.identity import mask_phone
from fangkong.core.scoping import ensure_visible
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


MAX_HEADCOUNT = 1_000_000


@transaction.atomic
def unit_profile_update(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    address: str = "",
    headcount: int | None = None,
    legal_representative: str = "",
) -> Unit:
    """A unit's plain fields: its kind (the seven small places by name), address, headcount
    and legal representative."""
    ensure_visible(unit, actor, field="unit")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if kind not in UnitKind.values:
        raise invalid("kind", _("没有这种单位类型"), "invalid")
    address = (address or "").strip()
    if len(address) > 200:
        raise invalid("address", _("地址不能超过 200 个字"), "too_long")
    representative = (legal_representative or "").strip()
    if len(representative) > 50:
        raise invalid("legal_representative", _("法定代表人不能超过 50 个字"), "too_long")
    if headcount is not None and (
        isinstance(headcount, bool)
        or not isinstance(headcount, int)
        or not 0 <= headcount <= MAX_HEADCOUNT
    ):
        raise invalid(
            "headcount", _("在册人数应为 0 到 %(max)s 的整数") % {"max": MAX_HEADCOUNT}, "invalid"
        )
    unit.kind, unit.address, unit.headcount = kind, address, headcount
    unit.legal_representative = representative
    unit.save(update_fields=["kind", "address", "headcount", "legal_representative"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=unit, detail="profile")
    return unit


@transaction.atomic
def unit_contact_set(*, actor: Any, unit: Unit, username: str) -> Unit:
    """Make the unit-contact account `username` the one that files for `unit` ("" : none).
    The account must be a unit contact placed at or above the unit's area; a unit contact
    may not hand its own unit to another account."""
    ensure_visible(unit, actor, field="unit")
    if getattr(actor, "acts_for_units", False):
        raise invalid("contact_username", _("单位联系人不能更改本单位的联系人账号"), "forbidden")
    username = (username or "").strip()
    account = None
    if username:
        account = User.objects.filter(username=username, is_active=True).first()
        if account is None or account.role != Role.UNIT_CONTACT:
            raise invalid(
                "contact_username",
                _("没有名为“%(name)s”的单位联系人账号") % {"name": username},
                "unknown_account",
            )
        area = account.area
        if area is None or not unit.area.path.startswith(area.path):
            raise invalid(
                "contact_username",
                _("账号“%(name)s”不在本单位所在区域") % {"name": username},
                "other_area",
            )
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unit.contact_account = account
    unit.save(update_fields=["contact_account"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=unit, detail=f"contact account: {username}"
    )
    return unit
