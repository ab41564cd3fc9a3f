"""The rounds pages in English: once the places, notes and areas of the test are taken out,
no Chinese is left in the page's own part."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from fangkong.rounds.services import place_create, plan_create, record_round
from tests.conftest import ZHENGUOSI, World
from tests.english import chinese_left, english, world_data
from tests.rounds.test_rounds import DAY, at


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(at(13), tick=False):
        yield


def test_the_rounds_pages_are_english(world: World) -> None:
    worker = world.zhenguosi_worker
    area = world.areas[ZHENGUOSI]
    lift = place_create(actor=worker, area=area, kind="lift", building="3号楼", name="电梯")
    bins = place_create(actor=worker, area=area, kind="rubbish", building="3号楼", name="垃圾桶站")
    patrol = plan_create(actor=worker, place=lift, kind="patrol", every_hours=4, active_from=DAY)
    plan_create(
        actor=worker,
        place=bins,
        kind="disinfection",
        times_a_day=2,
        agent="chlorine",
        concentration="500 mg/L",
        active_from=DAY,
    )
    record_round(actor=worker, plan=patrol, done_at=at(7), what="巡查楼道", note="楼道堆物已清")
    data = [*world_data(world), "3号楼", "电梯", "垃圾桶站", "巡查楼道", "楼道堆物已清"]
    data += [worker.first_name]
    pages = {
        "due": "/rounds/",
        "overdue": "/rounds/?tab=overdue",
        "plans": "/rounds/?tab=plans",
        "places": "/rounds/?tab=places",
        "area": f"/rounds/?area={ZHENGUOSI}",
        "place": f"/rounds/places/{lift.pk}/",
        "place-new": "/rounds/places/new/",
        "plan-new": f"/rounds/plans/new/?place={lift.pk}",
    }
    client = english(world, worker)
    left = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        left[name] = chinese_left(response.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}
    page = client.get("/rounds/?tab=overdue").content.decode()
    assert "2 h 0 min overdue" in page and "13 h 0 min overdue" in page
