"""No page of the menu gives two elements the same id: a label (`for=…`) or a link to an
anchor would then reach the wrong one (two forms with a `lot_size` field on one page sent
a phone's tap on "批量" to the other form). Every menu page of every account of the test
world, with the medic, the cadre, the treasurer and a unit contact besides."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from fangkong.accounts.roles import Role
from fangkong.core.modules import modules
from tests.conftest import WANPING, ZHENGUOSI, World, make_account

_ID = re.compile(r"""\sid=["']([^"']+)["']""")


def _duplicate_ids(html: str) -> list[str]:
    return sorted(i for i, n in Counter(_ID.findall(html)).items() if n > 1)


@pytest.mark.parametrize(
    "who",
    ["wanping_worker", "wanping_officer", "district_officer", "guard", "admin", "medic",
     "cadre", "treasurer", "unit_contact"],
)  # fmt: skip
def test_no_menu_page_repeats_an_id(world: World, who: str) -> None:
    extra = {
        "medic": (Role.MEDICAL_STAFF, WANPING),
        "cadre": (Role.CADRE, ZHENGUOSI),
        "treasurer": (Role.PARTY_TREASURER, WANPING),
        "unit_contact": (Role.UNIT_CONTACT, WANPING),
    }
    user = make_account(f"ids_{who}", *extra[who]) if who in extra else getattr(world, who)
    client = world.client(user)
    urls = ["/"] + [
        reverse(entry.url_name)
        for module in modules()
        for entry in module.menu
        if entry.capability is None or user.can(entry.capability)
    ]
    found = {}
    for url in urls:
        answer = client.get(url, follow=True)
        assert answer.status_code == 200, url
        repeated = _duplicate_ids(answer.content.decode())
        if repeated:
            found[url] = repeated
    assert found == {}
