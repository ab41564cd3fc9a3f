"""The alerts page (预警) lists fevers from health reports and from gate checks alike."""

from __future__ import annotations

from decimal import Decimal

from fangkong.accounts.roles import Role
from fangkong.arrivals.models import Alert, AlertKind
from tests.conftest import WANPING, World, make_account
from tests.factories import make_person


def test_a_gate_fever_of_someone_under_no_observation_is_listed(world: World) -> None:
    person = make_person(world.wanping_worker, world.areas[WANPING], "潘彤悦")
    Alert.objects.create(  # what fangkong.access.checks raises for a fever at a gate
        area=world.areas[WANPING],
        person=person,
        observation=None,
        kind=AlertKind.FEVER,
        temperature=Decimal("37.8"),
        detail="门岗测温：城内街东门志愿服务岗，出",
    )
    medic = make_account("wanping_medic_alerts", Role.MEDICAL_STAFF, WANPING)
    for user in (world.wanping_worker, medic):
        response = world.client(user).get("/arrivals/alerts/")
        page = response.content.decode()
        assert response.status_code == 200, user.username
        assert "潘彤悦" in page and "37.8°C" in page and "城内街东门" in page
        assert f'href="/registry/people/{person.pk}/"' in page  # no observation: their page
