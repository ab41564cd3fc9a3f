"""The 工作台: each role's home page lists today's work, one tap from its action, with
counts on the menu; nothing of another community."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import time_machine
from django.core.cache import cache

from fangkong.access.services import gate_create
from fangkong.arrivals.models import Alert, AlertKind, ArrivalNotice, NoticeStatus
from fangkong.policy.services import policy_seed_2020
from tests.arrivals.test_notices import file_notice
from tests.conftest import ZHENGUOSI, World, make_account
from tests.factories import make_person


def _items(html: str) -> dict[str, tuple[str, int]]:
    """label → (link, count) of the 工作台's items."""
    found = re.findall(
        r'<a class="list-group-item[^"]*" href="([^"]+)" data-work-item>\s*'
        r'<span><span class="fw-bold">([^<]+)</span>.*?fs-6">(\d+)</span>',
        html,
        re.S,
    )
    return {label: (href, int(n)) for href, label, n in found}


def test_the_medic_sees_the_fever_alert_first_and_on_the_menu(world: World) -> None:
    cache.clear()
    medic = make_account("zgs_medic", "medical_staff", ZHENGUOSI)
    person = make_person(world.zhenguosi_worker, world.areas[ZHENGUOSI], "高热")
    Alert.objects.create(
        area=world.areas[ZHENGUOSI],
        person=person,
        kind=AlertKind.FEVER,
        temperature=Decimal("37.6"),
    )
    html = world.client(medic).get("/").content.decode()
    items = _items(html)
    assert next(iter(items)) == "发热、症状预警待处置"
    assert items["发热、症状预警待处置"] == ("/arrivals/alerts/", 1)
    assert 'list-group-item-danger" href="/arrivals/alerts/"' in html
    assert re.search(r'href="/arrivals/alerts/">预警 <span[^>]*data-menu-count>1<', html)
    # The Wanping worker's home shows nothing of Zhenguosi.
    assert "发热、症状预警待处置" not in _items(
        world.client(world.wanping_worker).get("/").content.decode()
    )


def test_a_pending_notice_waits_on_the_workers_home(world: World) -> None:
    cache.clear()
    policy_seed_2020()
    with time_machine.travel(dt.datetime(2020, 3, 2, 1, 30, tzinfo=dt.UTC), tick=False):
        public = file_notice(world, world.wanping_worker)
    assert public.status_code == 201
    ArrivalNotice.objects.update(status=NoticeStatus.PENDING)
    items = _items(world.client(world.wanping_worker).get("/").content.decode())
    assert items["返京报备待确认"] == ("/arrivals/notices/?status=pending", 1)


def test_the_guards_home_is_the_gate_page(world: World) -> None:
    gate_create(actor=world.wanping_worker, area=world.areas["110106014001Z1"], name="城内街东门")
    response = world.client(world.guard).get("/")
    assert response.status_code == 302 and response["Location"] == "/access/gate/"


def test_an_account_with_nothing_to_do_is_told_so(world: World) -> None:
    treasurer = make_account("nfz_treasurer", "party_treasurer", "110106007001")
    html = world.client(treasurer).get("/").content.decode()
    assert 'data-testid="nothing-to-do"' in html
