from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.quality.models import Product
from fangkong.quality.services import product_create
from fangkong.units.models import Unit, UnitKind
from fangkong.units.services import unit_contact_set, unit_get_or_register
from tests.conftest import WANPING, ZHENGUOSI, World, make_account


@dataclass
class Line:
    factory: Unit
    masks: Product
    contact: User
    other_factory: Unit
    other_masks: Product


@pytest.fixture
def line(world: World) -> Line:
    factory = unit_get_or_register(
        area=world.areas[WANPING], name="宛平口罩车间", kind=UnitKind.ENTERPRISE
    )
    other = unit_get_or_register(
        area=world.areas[ZHENGUOSI], name="镇国寺口罩车间", kind=UnitKind.ENTERPRISE
    )
    contact = make_account("mask_contact", Role.UNIT_CONTACT, WANPING)
    factory = unit_contact_set(actor=world.wanping_worker, unit=factory, username=contact.username)
    masks = product_create(
        actor=contact, unit=factory, name="一次性使用医用口罩", spec="17.5×9.5",
        loop_strength_min_n=Decimal("10"), aql="2.5", level="II",
    )  # fmt: skip
    other_masks = product_create(
        actor=world.zhenguosi_worker, unit=other, name="一次性使用医用口罩", aql="1.0"
    )
    return Line(factory, masks, contact, other, other_masks)
