"""The allocation: largest-remainder numbers always add up to the cadres sent (a property
test), targets ranked by the registry's priority with the reasons shown, organs kept
together, officers confirm (totals must match), a street reassigns within its area."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fangkong.cadres import services
from fangkong.cadres.allocation import largest_remainder, propose
from fangkong.cadres.models import Allocation
from fangkong.registry.models.people import Residency
from tests.cadres.conftest import Cadres
from tests.conftest import World
from tests.factories import make_person


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    total=st.integers(min_value=0, max_value=2000),
    milli=st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=40),
)
def test_largest_remainder_totals_are_exact(total: int, milli: list[int]) -> None:
    weights = [Decimal(m) / 1000 for m in milli]  # scores, to three places
    split = largest_remainder(total, dict(enumerate(weights)))
    assert sum(split.values()) == total
    assert all(n >= 0 for n in split.values())
    whole = sum(weights)
    for k, w in enumerate(weights):
        quota = (w * total / whole) if whole else total / len(weights)
        assert abs(split[k] - quota) < 1  # each gets its quota's floor or ceiling


def test_largest_remainder_gives_the_leftovers_to_the_largest_remainders() -> None:
    assert largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert largest_remainder(150, {"x": 3, "y": 1}) == {"x": 113, "y": 37}  # 112.5 / 37.5: tie → x
    assert largest_remainder(5, {"a": 0, "b": 0}) == {"a": 3, "b": 2}


def test_the_proposal_ranks_inverted_villages_first_and_explains_why(
    world: World, cadres: Cadres
) -> None:
    officer = world.district_officer
    village = world.areas["110106014202"]  # 晓月村: 3 migrants, 1 resident
    for name in ("甲", "乙", "丙"):
        make_person(officer, village, name, residency=Residency.MIGRANT)
    make_person(officer, village, "丁")
    services.organ_sends_set(actor=officer, organ=cadres.qiaolian, sends=7)
    services.organ_sends_set(actor=officer, organ=cadres.museum, sends=20)
    proposal = propose(area=world.areas["110106"])
    assert proposal.total == 27 and proposal.proposed_total == 27
    first = proposal.targets[0]
    assert first.area.code == "110106014202" and first.inverted
    assert any("人口倒挂" in reason for reason in first.reasons)
    # Each organ is split only where a target's number runs out.
    assert sum(
        len([t for t in proposal.targets if organ.name in t.organs])
        for organ, _n in proposal.organs
    ) <= (len(proposal.chosen) + len(proposal.organs) - 1)
    api = world.api(officer).get("/api/v1/cadres/allocation/?area=110106").json()
    assert api["total"] == api["proposed_total"] == 27
    assert api["targets"][0]["area"] == "110106014202" and api["targets"][0]["reasons"]
    assert world.api(officer).get("/api/v1/cadres/allocation/").status_code == 400


def test_confirm_checks_totals_and_a_street_moves_within_its_area(
    world: World, cadres: Cadres
) -> None:
    officer = world.district_officer
    services.organ_sends_set(actor=officer, organ=cadres.museum, sends=12)
    xiaoyue, lugouqiao = world.areas["110106014202"], world.areas["110106014201"]
    with pytest.raises(ValidationError) as error:
        services.allocation_confirm(
            actor=officer, area=world.areas["110106"], lines=[(cadres.museum, xiaoyue, 10)]
        )
    assert error.value.error_dict["number"][0].code == "total_mismatch"
    assert Allocation.objects.count() == 0
    answer = world.api(officer).post(
        "/api/v1/cadres/allocation/",
        {
            "area": "110106",
            "lines": [{"organ": cadres.museum.pk, "area": "110106014202", "number": 12}],
        },
        format="json",
    )
    assert answer.status_code == 201
    assert {k: answer.json()[k] for k in ("lines", "cadres", "kept")} == {
        "lines": 1,
        "cadres": 12,
        "kept": 0,
    }
    street = world.wanping_officer
    services.allocation_confirm(
        actor=street,
        area=world.areas["110106014"],
        lines=[(cadres.museum, xiaoyue, 6), (cadres.museum, lugouqiao, 6)],
    )
    assert sorted(Allocation.objects.values_list("area__code", "number")) == [
        ("110106014201", 6),
        ("110106014202", 6),
    ]
    with pytest.raises(ValidationError):  # the street cannot add cadres it was not given
        services.allocation_confirm(
            actor=street, area=world.areas["110106014"], lines=[(cadres.museum, xiaoyue, 13)]
        )
    community = world.api(world.zhenguosi_worker).post(
        "/api/v1/cadres/allocation/", {"area": "110106015001", "lines": []}, format="json"
    )
    assert community.status_code == 403
