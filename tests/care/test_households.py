"""The care-call list per household: the people under observation at one address share a
line (one call, recording who of them was called), a person with no address keeps their
own; the page, the API (same fields plus the household and its members) and the 工作台
count households."""

from __future__ import annotations

import datetime as dt

from fangkong.arrivals.models import Observation, ObservationMode
from fangkong.arrivals.observation.services import observation_start
from fangkong.care.models import CareCall
from fangkong.care.services import call_record
from fangkong.registry.people.services import address_get_or_create
from fangkong.site.workbench import work_items
from tests.care.conftest import TODAY, Care
from tests.conftest import ZHENGUOSI, World
from tests.factories import make_person


def _couple(world: World) -> tuple[int, list[Observation]]:
    """马大爷 and 马大妈 of 5号楼 201, both back from their daughter's and observed at home."""
    worker, area = world.zhenguosi_worker, world.areas[ZHENGUOSI]
    address = address_get_or_create(area=area, building="5号楼", room="201")
    couple = [
        observation_start(
            actor=worker,
            person=make_person(worker, area, name, building="5号楼", room="201"),
            area=area,
            mode=ObservationMode.HOME,
            arrived_on=TODAY - dt.timedelta(days=3),
            address=address,
        )
        for name in ("马大爷", "马大妈")
    ]
    return address.pk, couple


def _to_call(user) -> int:  # type: ignore[no-untyped-def]
    for item in work_items(user, TODAY):
        if item.url.endswith("?todo=1"):
            return item.count
    return 0


def test_a_household_is_one_line_listing_its_people(world: World, care: Care) -> None:
    address, (husband, wife) = _couple(world)
    client = world.client(care.wang_ying)
    html = client.get("/care/").content.decode()
    line = html.split(f'data-household="a{address}"')[1].split('class="list-group-item"')[0]
    assert f'data-member="{husband.pk}"' in line and f'data-member="{wife.pk}"' in line
    assert 'name="called"' in line  # whom of the two the call reached
    # The three of the fixture have no address: one line each.
    for observation in care.zhenguosi:
        assert f'data-household="o{observation.pk}"' in html
    assert html.count("data-household=") == 4
    assert _to_call(care.wang_ying) == 4


def test_one_call_for_the_household_records_who_was_called(world: World, care: Care) -> None:
    address, (husband, wife) = _couple(world)
    client = world.client(care.wang_ying)
    response = client.post(
        f"/care/households/{husband.pk}/call/",
        {"called": wife.pk, "outcome": "needs", "needs": "买菜"},
    )
    assert response.status_code == 302
    call = CareCall.objects.get()
    assert call.observation_id == wife.pk and call.needs == "买菜"
    html = client.get("/care/").content.decode()
    assert f'data-household="a{address}" data-observation="{husband.pk}" data-outcome="needs"' in (
        html
    )
    assert f'data-called="{wife.pk}"' in html
    todo = client.get("/care/?todo=1").content.decode()
    assert f'data-household="a{address}"' not in todo  # reached: both of them
    assert _to_call(care.wang_ying) == 3
    page = client.get(f"/care/households/{husband.pk}/").content.decode()
    assert 'id="members"' in page and f'data-member="{wife.pk}"' in page
    assert "买菜" in page  # the household's calls, whoever answered


def test_a_person_outside_the_household_cannot_be_named_as_called(world: World, care: Care) -> None:
    _address, (husband, _wife) = _couple(world)
    client = world.client(care.wang_ying)
    stranger = care.zhenguosi[0]
    response = client.post(
        f"/care/households/{husband.pk}/call/",
        {"called": stranger.pk, "outcome": "well"},
        follow=True,
    )
    assert "接电话的人不是这一户的居家观察人员" in response.content.decode()
    assert not CareCall.objects.exists()


def test_the_api_lists_households_with_their_members(world: World, care: Care) -> None:
    address, (husband, wife) = _couple(world)
    call_record(actor=care.wang_ying, observation=wife, outcome="well")
    rows = world.api(care.wang_ying).get("/api/v1/care/calls/").json()["results"]
    assert len(rows) == 4
    home = next(r for r in rows if r["household"] == f"a{address}")
    assert home["observation"] == husband.pk and home["address"] == "5号楼 201"
    assert [m["observation"] for m in home["members"]] == [husband.pk, wife.pk]
    assert [m["call_outcome"] for m in home["members"]] == [None, "well"]
    assert home["call_outcome"] == "well" and home["called"] == wife.pk
    assert home["calls_today"] == 1
    alone = next(r for r in rows if r["observation"] == care.zhenguosi[0].pk)
    assert alone["household"] == f"o{care.zhenguosi[0].pk}" and len(alone["members"]) == 1
    assert alone["called"] is None
    todo = world.api(care.wang_ying).get("/api/v1/care/calls/?todo=1").json()["results"]
    assert f"a{address}" not in {r["household"] for r in todo} and len(todo) == 3
