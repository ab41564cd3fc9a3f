"""Actions that were pages only, now in the API too: the public notice link and its QR, an
observation's self-report link, closing a gate referral, the list of units."""

from __future__ import annotations

import datetime as dt

from fangkong.access import auth, checks
from fangkong.access.models import ReferralStatus
from fangkong.access.services import gate_create, referral_create
from fangkong.arrivals.observation.services import observation_cancel, observation_start
from fangkong.policy.services import policy_seed_2020
from fangkong.units.services import unit_get_or_register
from tests.arrivals.test_unannounced_referral import stopped
from tests.conftest import WANPING, WANPING_ZONE, ZHENGUOSI, World
from tests.factories import make_person


def test_the_public_notice_link_and_qr(world: World) -> None:
    body = world.api(world.wanping_worker).get("/api/v1/arrival-notices/link/").json()
    assert [link["area"] for link in body] == [WANPING]
    assert "/r/notice/" in body[0]["url"] and body[0]["qr_svg"].startswith("<svg")
    assert world.api(world.guard).get("/api/v1/arrival-notices/link/").status_code == 403


def test_an_observations_self_report_link(world: World) -> None:
    policy_seed_2020()
    person = make_person(world.wanping_worker, world.areas[WANPING], "链接人")
    observation = observation_start(
        actor=world.wanping_worker,
        person=person,
        area=world.areas[WANPING],
        mode="home",
        arrived_on=dt.date.today(),
    )
    url = f"/api/v1/observations/{observation.pk}/self-report-link/"
    body = world.api(world.wanping_worker).get(url).json()
    assert "/r/report/" in body["url"] and body["expires_at"]
    assert world.api(world.zhenguosi_worker).get(url).status_code == 404
    observation_cancel(actor=world.wanping_worker, observation=observation, reason="登记错误")
    ended = world.api(world.wanping_worker).get(url)
    assert ended.status_code == 400 and ended.json()["errors"][0]["code"] == "not_active"


def test_closing_a_gate_referral(world: World) -> None:
    checks.caches_clear()
    auth.cache_clear()
    policy_seed_2020()
    zone = world.areas[WANPING_ZONE]
    gate = gate_create(actor=world.wanping_worker, area=zone, name="城内街东门")
    referral = referral_create(actor=world.guard, check=stopped(world, gate), name="无证者")
    url = f"/api/v1/gate-referrals/{referral.pk}/handle/"
    assert world.api(world.zhenguosi_worker).post(url, {"handling": "x"}).status_code == 404
    missing = world.api(world.wanping_worker).post(url, {"handling": ""}, format="json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "handling"
    done = world.api(world.wanping_worker).post(url, {"handling": "已联系房东"}, format="json")
    assert done.status_code == 200
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE and referral.handling == "已联系房东"


def test_the_units_of_the_area(world: World) -> None:
    unit_get_or_register(area=world.areas[WANPING], name="中国盲文出版社")
    unit_get_or_register(area=world.areas[ZHENGUOSI], name="镇国寺物业")
    names = [
        u["name"] for u in world.api(world.wanping_worker).get("/api/v1/units/").json()["results"]
    ]
    assert names == ["中国盲文出版社"]
    everyone = world.api(world.district_officer).get("/api/v1/units/", {"area": ZHENGUOSI}).json()
    assert [u["name"] for u in everyone["results"]] == ["镇国寺物业"]


def test_a_gate_set_up_and_a_pass_suspended_over_the_api(world: World) -> None:
    from fangkong.access.services import pass_issue

    api = world.api(world.wanping_worker)
    made = api.post("/api/v1/gates/", {"area": WANPING_ZONE, "name": "城内街西门"}, format="json")
    assert made.status_code == 201 and made.json()["name"] == "城内街西门"
    assert (
        world.api(world.guard)
        .post("/api/v1/gates/", {"area": WANPING_ZONE, "name": "x"}, format="json")
        .status_code
        == 403
    )
    outside = api.post("/api/v1/gates/", {"area": ZHENGUOSI, "name": "x"}, format="json")
    assert outside.status_code == 400 and outside.json()["errors"][0]["field"] == "area"
    zone = world.areas[WANPING_ZONE]
    person = make_person(world.wanping_worker, zone, "持证人", building="城内街8号院")
    card = pass_issue(
        actor=world.wanping_worker, person=person, area=zone, kind="resident", verified=True
    )
    suspended = api.post(
        f"/api/v1/passes/{card.pk}/suspend/", {"reason": "本人申请"}, format="json"
    )
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    back = api.post(f"/api/v1/passes/{card.pk}/reactivate/", {}, format="json")
    assert back.status_code == 200 and back.json()["status"] == "active"
    unknown = api.post(f"/api/v1/passes/{card.pk}/burn/", {}, format="json")
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "action"
