"""The demo's figures (13 organs, 150 cadres, 王颖 at 镇国寺 10 km from home, a week of
sign-ins, one fever today, two uninsured, the seed's pairing confirmed; the proposal over
the demo villages adds up to 150) and the cadres pages in English."""

from __future__ import annotations

from django.utils import timezone

from fangkong.cadres.demo import load_demo
from fangkong.cadres.figures import FIGURE_SET
from fangkong.cadres.models import Allocation, Cadre, SignIn
from fangkong.cadres.selectors import uninsured
from fangkong.core.figures import Span
from tests.cadres.conftest import TODAY, Cadres
from tests.conftest import World
from tests.english import chinese_left, english, world_data


def test_the_demo_has_the_seeds_figures(world: World) -> None:
    summary = load_demo()
    assert "13 organs, 150 cadres, 149 signed in today, 1 unwell" in summary, summary
    wang = Cadre.objects.get(name="王颖")
    assert wang.organ.name == "丰台区侨联" and wang.area.name == "镇国寺社区"
    assert wang.distance_km == 10 and wang.account.username == "wang_ying"
    assert SignIn.objects.filter(cadre=wang).count() == 7
    assert uninsured(user=world.district_officer, on=TODAY).count() == 2
    assert sum(Allocation.objects.values_list("number", flat=True)) == 150
    proposal = (
        world.api(world.district_officer).get("/api/v1/cadres/allocation/?area=110106").json()
    )
    assert proposal["total"] == proposal["proposed_total"] == 150
    ranked = [t for t in proposal["targets"] if t["proposed"]]
    assert len(ranked) == 13  # 150 cadres, at most 12 a target
    assert ranked[0]["inverted"] and ranked[0]["reasons"]
    villages = {t["area"]: t for t in proposal["targets"]}
    assert villages["110106200201"]["inverted"] and not villages["110106101201"]["inverted"]
    assert villages["110106200201"]["rank"] < villages["110106101201"]["rank"]
    assert load_demo().startswith("demo cadres (already there)")
    start = timezone.make_aware(timezone.datetime(2020, 3, 4))
    span = Span(on=TODAY, start=start, end=start + timezone.timedelta(days=1))
    totals: dict[str, int] = {}
    for _area, key, n in FIGURE_SET.count(span):
        totals[key] = totals.get(key, 0) + n
    assert totals == {"cadres_on_duty": 150, "cadres_signed_in": 149, "cadres_unwell": 1}


def test_the_cadres_pages_are_english(world: World, cadres: Cadres) -> None:
    from fangkong.cadres import services

    officer = world.district_officer
    services.health_check_record(
        actor=cadres.wang_account, cadre=cadres.wang_ying, temperature="36.5"
    )
    services.sign_in(actor=cadres.wang_account, cadre=cadres.wang_ying)
    services.health_check_record(actor=officer, cadre=cadres.wanping_cadre, temperature="38.0")
    services.training_record(actor=officer, cadre=cadres.wang_ying, title="T1", on=TODAY)
    services.organ_sends_set(actor=officer, organ=cadres.museum, sends=5)
    data = [*world_data(world), "丰台区侨联", "抗战纪念馆", "王颖", "赵强"]
    pages = {
        "list": "/cadres/",
        "unwell": "/cadres/?list=unwell",
        "uninsured": "/cadres/?list=uninsured",
        "detail": f"/cadres/{cadres.wang_ying.pk}/",
        "organs": "/cadres/organs/",
        "allocation": "/cadres/allocation/?area=110106",
    }
    left = {}
    for user in (officer, cadres.wang_account):
        client = english(world, user)
        for name, url in pages.items():
            if user == cadres.wang_account and name == "allocation":
                url = "/cadres/allocation/"  # her own community's
            response = client.get(url)
            assert response.status_code == 200, (name, user)
            left[f"{user}:{name}"] = chinese_left(response.content.decode(), data)
    assert not any(left.values()), {k: v for k, v in left.items() if v}
