from __future__ import annotations

from dataclasses import dataclass

import pytest

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.policy.services import policy_seed_2020
from fangkong.units.models import Unit, UnitKind
from fangkong.units.services import unit_contact_set, unit_get_or_register, unit_profile_update
from tests.conftest import WANPING, ZHENGUOSI, World, make_account


@dataclass
class Units:
    site: Unit  # a dense enterprise: the on-site limit applies
    museum: Unit  # an organ: it does not (by the 2020 policy's kinds)
    zhenguosi_shop: Unit
    contact: User
    medic: User


@pytest.fixture
def units(world: World) -> Units:
    policy_seed_2020()
    worker = world.wanping_worker
    site = unit_get_or_register(area=world.areas[WANPING], name="地铁16号线施工单位")
    site = unit_profile_update(
        actor=worker, unit=site, kind=UnitKind.ENTERPRISE, address="宛平城城内街",
        headcount=120, legal_representative="赵经理",
    )  # fmt: skip
    museum = unit_get_or_register(
        area=world.areas[WANPING], name="中国人民抗日战争纪念馆", kind=UnitKind.ORGAN
    )
    shop = unit_get_or_register(
        area=world.areas[ZHENGUOSI], name="镇国寺小理发店", kind=UnitKind.SMALL_BARBER
    )
    contact = make_account("site_contact", Role.UNIT_CONTACT, WANPING)
    site = unit_contact_set(actor=worker, unit=site, username=contact.username)
    museum = unit_contact_set(actor=worker, unit=museum, username=contact.username)
    return Units(
        site=site,
        museum=museum,
        zhenguosi_shop=shop,
        contact=contact,
        medic=make_account("wanping_medic", Role.MEDICAL_STAFF, WANPING),
    )
