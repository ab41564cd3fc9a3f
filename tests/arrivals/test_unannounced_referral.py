"""From a gate referral to the unannounced-arrival form: the guard of 城内街东门 stops a
returnee with no pass and hands them to the community; the Wanping worker opens
"登记为未提前告知返京" from the referral list, finds the form filled with what the referral
knows, registers — and the referral is handled by the same step. 2 March 2020."""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fangkong.access import auth, checks
from fangkong.access.models import Gate, GateCheck, GateReferral, ReferralKind, ReferralStatus
from fangkong.access.services import gate_create, referral_create, referral_register_arrival
from fangkong.arrivals.models import ArrivalNotice, NoticeStatus
from fangkong.audit.models import AuditAction, AuditEvent
from fangkong.policy.services import policy_seed_2020
from fangkong.registry.models import Person, Residency
from tests.conftest import WANPING_ZONE, World
from tests.factories import make_person, valid_id

SH = ZoneInfo("Asia/Shanghai")
FORM = "/arrivals/unannounced/new/"


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    checks.caches_clear()
    auth.cache_clear()
    with time_machine.travel(dt.datetime(2020, 3, 2, 9, 30, tzinfo=SH), tick=False) as traveller:
        yield traveller
    checks.caches_clear()
    auth.cache_clear()


@pytest.fixture
def gate(world: World) -> Gate:
    policy_seed_2020()
    return gate_create(
        actor=world.wanping_worker, area=world.areas[WANPING_ZONE], name="城内街东门"
    )


def stopped(world: World, gate: Gate, **how: str) -> GateCheck:
    """The guard checks someone at `gate` who turns out to have no pass."""
    body = {"check_id": str(uuid.uuid4()), "gate": gate.pk, "direction": "in"}
    body |= {"temperature": "36.4", **(how or {"pass_token": "no-such-pass"})}
    response = world.api(world.guard).post("/api/v1/gate-checks/", body, format="json")
    assert response.json()["reasons"] == ["no_pass"], response.json()
    return GateCheck.objects.get(check_id=body["check_id"])


def registration(**fields: str) -> dict[str, str]:
    return {
        "document_type": "resident_id",
        "residency": Residency.MIGRANT,
        "origin_code": "130000",
        "origin_name": "河北省保定市",
        "arrived_on": "2020-03-01",
        "mode": "home",
        "residence_kind": "owner",
        "building": "城内街12号院",
        **fields,
    }


def test_a_referral_opens_the_form_prefilled_and_registering_handles_it(
    world: World, gate: Gate
) -> None:
    referral = referral_create(
        actor=world.guard, check=stopped(world, gate), name="赵小二", note="自述从保定返京，未报备"
    )
    page = world.client(world.wanping_worker)
    listing = page.get("/access/referrals/").content.decode()
    assert "登记为未提前告知返京" in listing
    link = f"{FORM}?area={WANPING_ZONE}&amp;referral={referral.pk}"
    assert link in listing
    form = page.get(html.unescape(link))
    assert form.status_code == 200
    text = form.content.decode()
    assert "来自门岗转交：城内街东门" in text
    assert 'value="赵小二"' in text
    assert f'<option value="{WANPING_ZONE}" selected>' in text
    assert "在门岗“城内街东门”因无出入证被拦下：自述从保定返京，未报备" in text

    number = valid_id(971, region="130602")
    done = page.post(
        html.unescape(link),
        registration(
            name="赵小二",
            document_number=number,
            area=WANPING_ZONE,
            note="在门岗“城内街东门”因无出入证被拦下：自述从保定返京，未报备",
        ),
    )
    notice = ArrivalNotice.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/arrivals/notices/{notice.pk}/"
    assert notice.unannounced and notice.status == NoticeStatus.INSPECTION
    assert "城内街东门" in notice.note
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE and referral.handled_by == world.wanping_worker
    assert f"#{notice.pk}" in referral.handling
    assert "登记为未提前告知返京" not in page.get("/access/referrals/").content.decode()

    again = page.post(
        html.unescape(link),
        registration(name="赵小二", document_number=number, area=WANPING_ZONE),
    )
    assert again.status_code == 400 and "已处理" in again.content.decode()
    assert ArrivalNotice.objects.count() == 1


def test_a_known_person_is_prefilled_from_the_registry_and_the_read_is_audited(
    world: World, gate: Gate
) -> None:
    zone = world.areas[WANPING_ZONE]
    number = valid_id(972, region="130602")
    known = make_person(world.wanping_worker, zone, "钱多多", document_number=number)
    check = stopped(world, gate, document_number=number)
    referral = referral_create(actor=world.guard, check=check)
    assert referral.person == known

    page = world.client(world.wanping_worker)
    text = page.get(f"{FORM}?referral={referral.pk}").content.decode()
    assert 'value="钱多多"' in text and f'value="{number}"' in text
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEW_RECORD, object_id=str(known.pk))
    assert viewed.filter(actor=world.wanping_worker).exists()

    done = page.post(
        f"{FORM}?referral={referral.pk}",
        registration(name="钱多多", document_number=number, area=WANPING_ZONE),
    )
    assert done.status_code == 302
    assert Person.objects.filter(name="钱多多").count() == 1  # matched, not registered twice
    assert ArrivalNotice.objects.get().people.get().person == known
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE


def test_a_bad_form_leaves_the_referral_open(world: World, gate: Gate) -> None:
    referral = referral_create(actor=world.guard, check=stopped(world, gate), name="孙某")
    page = world.client(world.wanping_worker)
    refused = page.post(
        f"{FORM}?referral={referral.pk}",
        registration(name="孙某", document_number="123", area=WANPING_ZONE),
    )
    assert refused.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN and not ArrivalNotice.objects.exists()


def test_another_communitys_referral_is_not_found(world: World, gate: Gate) -> None:
    referral = referral_create(actor=world.guard, check=stopped(world, gate), name="赵小二")
    page = world.client(world.zhenguosi_worker)
    assert page.get(f"{FORM}?referral={referral.pk}").status_code == 404
    assert page.get(f"{FORM}?referral=x").status_code == 404


def test_only_an_unannounced_referral_is_registered_as_an_arrival(world: World, gate: Gate) -> None:
    check = stopped(world, gate)
    referral = referral_create(actor=world.guard, check=check)
    GateReferral.objects.filter(pk=referral.pk).update(kind=ReferralKind.FEVER)
    with pytest.raises(ValidationError) as exc:
        referral_register_arrival(
            actor=world.wanping_worker,
            referral=referral,
            area=world.areas[WANPING_ZONE],
            person_data={"name": "某", "document_number": valid_id(973)},
            origin_code="130000",
            arrived_on=dt.date(2020, 3, 1),
            building="1号院",
        )
    assert set(exc.value.message_dict) == {"referral"}
    assert not ArrivalNotice.objects.exists()
