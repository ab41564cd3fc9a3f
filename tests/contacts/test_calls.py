"""拨打: the role that must phone someone for a task gets the number for that task only, as a
tel: link; the reveal is audited with the task as the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fangkong.arrivals.models import Alert, AlertKind
from fangkong.audit.models import AuditAction, AuditEvent
from tests.conftest import WANPING, ZHENGUOSI, World, make_account
from tests.factories import make_person


@pytest.fixture
def alert(world: World) -> Alert:
    person = make_person(
        world.zhenguosi_worker, world.areas[ZHENGUOSI], "高热者", phone="13800138000"
    )
    return Alert.objects.create(
        area=world.areas[ZHENGUOSI],
        person=person,
        kind=AlertKind.FEVER,
        temperature=Decimal("37.6"),
    )


def test_the_medic_taps_call_on_the_alert_and_the_reveal_is_audited(
    world: World, alert: Alert
) -> None:
    medic = make_account("zgs_medic", "medical_staff", ZHENGUOSI)
    page = world.client(medic)
    listed = page.get("/arrivals/alerts/").content.decode()
    assert f'action="/contacts/call/alert/{alert.pk}/"' in listed
    assert "13800138000" not in listed  # masked until the tap
    dialled = page.post(f"/contacts/call/alert/{alert.pk}/", {"next": "/arrivals/alerts/"})
    assert dialled.status_code == 200
    html = dialled.content.decode()
    assert 'href="tel:+8613800138000"' in html and 'href="/arrivals/alerts/"' in html
    event = AuditEvent.objects.get(actor=medic, action=AuditAction.VIEW_RECORD)
    assert event.object_id == str(alert.person_id)
    assert f"发热预警 #{alert.pk}" in event.detail and "13800138000" not in event.detail


def test_the_api_gives_the_number_for_the_task(world: World, alert: Alert) -> None:
    medic = make_account("zgs_medic", "medical_staff", ZHENGUOSI)
    response = world.api(medic).post(
        "/api/v1/calls/", {"subject": "alert", "id": alert.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["tel"] == "tel:+8613800138000"


def test_calls_stay_within_the_role_and_the_area(world: World, alert: Alert) -> None:
    other_medic = make_account("wp_medic", "medical_staff", WANPING)
    assert world.client(other_medic).post(f"/contacts/call/alert/{alert.pk}/").status_code == 404
    body = {"subject": "alert", "id": alert.pk}
    assert world.api(world.guard).post("/api/v1/calls/", body, format="json").status_code == 403
    bad = world.api(world.zhenguosi_worker).post(
        "/api/v1/calls/", {"subject": "boss", "id": 1}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "subject"
    assert (
        world.client(world.zhenguosi_worker).get(f"/contacts/call/alert/{alert.pk}/").status_code
        == 405
    )
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_RECORD).exists()
