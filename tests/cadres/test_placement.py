"""Confirming an allocation puts the cadres in place, in the same transaction: each target
gets its number of the organ's cadres, a cadre already at a kept target stays, a street's
re-confirm moves only the cadres needed, every move is audited, and an organ with fewer
cadres than it sends leaves a shortfall the page and the API list (not an error)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fangkong.audit.models import AuditEvent
from fangkong.cadres import services
from fangkong.cadres.models import Cadre, Deployment, Organ
from tests.cadres.conftest import TODAY, Cadres
from tests.conftest import FENGTAI, WANPING, WANPING_STREET, World

XIAOYUE, LUGOUQIAO = "110106014202", "110106014201"  # 晓月村, 卢沟桥村 (宛平城地区)


def _shoufa(world: World) -> tuple[Organ, Cadre, list[Cadre]]:
    """首发集团 sends 5 and has 6 cadres: one at 卢沟桥村 since long, five at 宛平城社区."""
    officer = world.district_officer
    organ = services.organ_create(actor=officer, name="首发集团", kind="enterprise")
    services.organ_sends_set(actor=officer, organ=organ, sends=5)
    veteran = services.cadre_register(
        actor=officer,
        organ=organ,
        name="老陈",
        area=world.areas[LUGOUQIAO],
        starts_on=TODAY - dt.timedelta(days=20),
    )
    others = [
        services.cadre_register(
            actor=officer,
            organ=organ,
            name=f"首发{i}",
            area=world.areas[WANPING],
            starts_on=TODAY - dt.timedelta(days=5),
        )
        for i in range(5)
    ]
    return organ, veteran, others


def _at(organ: Organ) -> Counter[str]:
    return Counter(
        Cadre.objects.filter(organ=organ, active=True).values_list("area__code", flat=True)
    )


def _moves() -> int:
    return AuditEvent.objects.filter(detail__startswith="调整到").count()


def test_confirm_puts_each_targets_number_in_place_and_keeps_who_is_there(
    world: World, cadres: Cadres
) -> None:
    organ, veteran, _others = _shoufa(world)
    officer = world.district_officer
    services.organ_sends_set(actor=officer, organ=cadres.museum, sends=3)
    confirmed = services.allocation_confirm(
        actor=officer,
        area=world.areas[FENGTAI],
        lines=[
            (organ, world.areas[XIAOYUE], 3),
            (organ, world.areas[LUGOUQIAO], 2),
            (cadres.museum, world.areas[XIAOYUE], 3),
        ],
    )
    assert _at(organ) == {XIAOYUE: 3, LUGOUQIAO: 2, WANPING: 1}  # one spare stays put
    placed = confirmed.placement
    assert placed.kept == 1 and len(placed.moves) == 5 and placed.spare == 1
    # 老陈 was at 卢沟桥村 already: not moved, one deployment still.
    assert Deployment.objects.filter(cadre=veteran).count() == 1
    assert Cadre.objects.get(pk=veteran.pk).area.code == LUGOUQIAO
    # 抗战纪念馆 sends 3 but has one cadre (赵强): moved, and the shortfall is said.
    assert _at(cadres.museum) == {XIAOYUE: 1}
    assert [(s.organ.name, s.target.code, s.missing) for s in placed.shortfall] == [
        ("抗战纪念馆", XIAOYUE, 2)
    ]
    # Every move audited, each new deployment from today.
    assert _moves() == 5
    moved = [m.cadre.pk for m in placed.moves]
    assert set(
        Deployment.objects.filter(cadre__in=moved, ends_on__isnull=True).values_list(
            "starts_on", flat=True
        )
    ) == {TODAY}
    # The page and the API list the shortfall.
    page = world.client(officer).get("/cadres/allocation/", {"area": FENGTAI}).content.decode()
    assert 'id="shortfall"' in page and f'data-target="{XIAOYUE}"' in page
    body = world.api(officer).get("/api/v1/cadres/allocation/", {"area": FENGTAI}).json()
    assert [(s["organ"], s["area"], s["missing"]) for s in body["shortfall"]] == [
        ("抗战纪念馆", XIAOYUE, 2)
    ]


def test_a_reconfirm_under_a_street_moves_only_the_cadres_needed(
    world: World, cadres: Cadres
) -> None:
    organ, veteran, _others = _shoufa(world)
    services.allocation_confirm(
        actor=world.district_officer,
        area=world.areas[FENGTAI],
        lines=[(organ, world.areas[XIAOYUE], 3), (organ, world.areas[LUGOUQIAO], 2)],
    )
    before = _moves()
    answer = world.api(world.wanping_officer).post(
        "/api/v1/cadres/allocation/",
        {
            "area": WANPING_STREET,
            "lines": [
                {"organ": organ.pk, "area": XIAOYUE, "number": 1},
                {"organ": organ.pk, "area": LUGOUQIAO, "number": 4},
            ],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    # Two of 晓月村's three go to 卢沟桥村; the spare at 宛平城社区 is not touched.
    assert body["kept"] == 3 and len(body["moved"]) == 2 and body["shortfall"] == []
    assert {m["area"] for m in body["moved"]} == {LUGOUQIAO}
    assert _at(organ) == {XIAOYUE: 1, LUGOUQIAO: 4, WANPING: 1}
    assert _moves() - before == 2
    assert Deployment.objects.filter(cadre=veteran).count() == 1
    # Confirming the same again moves nobody.
    again = services.allocation_confirm(
        actor=world.wanping_officer,
        area=world.areas[WANPING_STREET],
        lines=[(organ, world.areas[XIAOYUE], 1), (organ, world.areas[LUGOUQIAO], 4)],
    )
    assert again.placement.moves == [] and again.placement.kept == 5


def test_the_page_confirms_and_says_who_was_moved(world: World, cadres: Cadres) -> None:
    organ, _veteran, _others = _shoufa(world)
    client = world.client(world.district_officer)
    xiaoyue, lugouqiao = world.areas[XIAOYUE], world.areas[LUGOUQIAO]
    response = client.post(
        f"/cadres/allocation/?area={FENGTAI}",
        {f"number_{organ.pk}_{xiaoyue.pk}": "3", f"number_{organ.pk}_{lugouqiao.pk}": "2"},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 人留任，4 人调整" in response.content.decode()
    assert _at(organ) == {XIAOYUE: 3, LUGOUQIAO: 2, WANPING: 1}
