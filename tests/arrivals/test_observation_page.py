"""The observation page: a refused action says so at the top of the long page, and where."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from fangkong.arrivals.models import ObservationMode
from fangkong.arrivals.observation.services import observation_start
from fangkong.policy.services import policy_seed_2020
from tests.conftest import WANPING_ZONE, World
from tests.factories import make_person


def test_a_refused_action_is_explained_at_the_top(world: World) -> None:
    policy_seed_2020()
    person = make_person(world.wanping_worker, world.areas[WANPING_ZONE], "张小明")
    arrived = dt.date(2020, 2, 20)
    noon = timezone.make_aware(dt.datetime(2020, 2, 22, 12))
    with time_machine.travel(noon, tick=False):
        observation = observation_start(
            actor=world.wanping_worker,
            person=person,
            area=world.areas[WANPING_ZONE],
            mode=ObservationMode.HOME,
            arrived_on=arrived,
        )
        page = world.client(world.wanping_worker)
        response = page.post(f"/arrivals/observations/{observation.pk}/extend/", {})
        text = response.content.decode()
        assert response.status_code == 400
        top = text.index('id="action-error"')
        assert top < text.index('id="act-extend"') and top < text.index('id="timeline"')
        summary = text[top : text.index("</div>", top)]
        assert "延长观察未完成" in summary and "天数" in summary and 'href="#act-extend"' in summary
        # Refused by the service (release before its day) rather than by the form: the same.
        early = page.post(f"/arrivals/observations/{observation.pk}/release/", {})
        text = early.content.decode()
        assert early.status_code == 400 and "解除观察未完成" in text
        ok = page.get(f"/arrivals/observations/{observation.pk}/").content.decode()
        assert 'id="action-error"' not in ok
