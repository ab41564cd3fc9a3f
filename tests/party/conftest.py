"""A small party tree on the demo areas: 丰台区委 → 宛平地区工委 → 宛平城社区党委 with two
branches, and 马家堡街道工委 → 镇国寺社区党委 with one (whose treasurer must see nothing
of Wanping's). Treasurers: one per community, one for the Wanping working committee."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.party import services
from fangkong.party.models import Member, Organisation
from tests.conftest import FENGTAI, WANPING, WANPING_STREET, ZHENGUOSI, World, make_account
from tests.factories import make_person


@dataclass
class Party:
    district: Organisation
    working: Organisation
    community: Organisation
    branch1: Organisation
    branch2: Organisation
    zg_working: Organisation
    zg_community: Organisation
    zg_branch: Organisation
    treasurer: User
    street_treasurer: User
    zg_treasurer: User
    members: list[Member]
    zg_member: Member


@pytest.fixture
def party(world: World) -> Party:
    admin = world.admin
    treasurer = make_account("wanping_treasurer", Role.PARTY_TREASURER, WANPING)
    street = make_account("wanping_street_treasurer", Role.PARTY_TREASURER, WANPING_STREET)
    zg = make_account("zhenguosi_treasurer", Role.PARTY_TREASURER, ZHENGUOSI)
    a = world.areas
    district = services.org_create(actor=admin, name="丰台区委", kind="district", area=a[FENGTAI])
    working = services.org_create(
        actor=admin, name="宛平地区工委", kind="working", area=a[WANPING_STREET], parent=district
    )
    community = services.org_create(
        actor=admin, name="宛平城社区党委", kind="community", area=a[WANPING], parent=working
    )
    b1 = services.org_create(
        actor=treasurer, name="第一党支部", kind="branch", area=a[WANPING], parent=community
    )
    b2 = services.org_create(
        actor=treasurer, name="第二党支部", kind="branch", area=a[WANPING], parent=community
    )
    zg_working = services.org_create(
        actor=admin, name="马家堡街道工委", kind="working", area=a["110106015"], parent=district
    )
    zg_community = services.org_create(
        actor=admin, name="镇国寺社区党委", kind="community", area=a[ZHENGUOSI], parent=zg_working
    )
    zg_branch = services.org_create(
        actor=zg, name="镇国寺第一党支部", kind="branch", area=a[ZHENGUOSI], parent=zg_community
    )
    members = []
    for i, branch in enumerate([b1, b1, b1, b2, b2]):
        person = make_person(world.wanping_worker, a[WANPING], f"党员{i}")
        members.append(services.member_add(actor=treasurer, branch=branch, person=person))
    zg_person = make_person(world.zhenguosi_worker, a[ZHENGUOSI], "镇国寺党员")
    zg_member = services.member_add(actor=zg, branch=zg_branch, person=zg_person)
    return Party(
        district, working, community, b1, b2, zg_working, zg_community, zg_branch,
        treasurer, street, zg, members, zg_member,
    )  # fmt: skip
