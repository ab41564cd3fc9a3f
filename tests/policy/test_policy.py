from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fangkong.policy.models import OriginRisk
from fangkong.policy.selectors import origin_rule_for, policy_in_force
from fangkong.policy.services import POLICY_2020, policy_publish
from tests.conftest import World


@pytest.mark.django_db
def test_the_2020_rules_are_seeded() -> None:
    policy = policy_in_force(on=dt.date(2020, 3, 5))
    assert policy.observation_days == 14
    assert policy.fever_threshold == Decimal("37.3")
    assert (policy.dorm_min_area_m2, policy.dorm_max_per_room) == (Decimal("4.0"), 6)
    assert (policy.underground_min_area_m2, policy.underground_max_per_room) == (Decimal("5.0"), 2)
    assert policy.underground_bunk_beds_allowed is False
    assert policy.onsite_rate_max == Decimal("0.500")
    assert policy.donation_suggested_max == Decimal("100.00")


@pytest.mark.django_db
def test_origins_follow_the_2020_rules() -> None:
    policy = policy_in_force(on=dt.date(2020, 2, 20))
    wuhan = origin_rule_for(policy=policy, region_code="420100")
    assert wuhan.risk == OriginRisk.MUST_NOT_RETURN and wuhan.days is None
    hebei = origin_rule_for(policy=policy, region_code="130000")
    assert hebei.risk == OriginRisk.OBSERVE and hebei.days == 14
    abroad = origin_rule_for(policy=policy, region_code="overseas")
    assert abroad.risk == OriginRisk.OBSERVE_REGISTERED and abroad.days == 14


@pytest.mark.django_db
def test_it_answers_which_policy_was_in_force_on_a_date() -> None:
    fields = {
        **POLICY_2020,
        "label": "2020 年 4 月调整",
        "effective_from": dt.date(2020, 4, 30),
        "observation_days": 7,
    }
    later = policy_publish(rules=[("*", "其他地区", OriginRisk.OBSERVE)], **fields)
    assert policy_in_force(on=dt.date(2020, 4, 29)).observation_days == 14
    assert policy_in_force(on=dt.date(2020, 4, 30)) == later
    assert origin_rule_for(policy=later, region_code="420100").risk == OriginRisk.OBSERVE
    with pytest.raises(ValidationError) as err:
        policy_in_force(on=dt.date(2019, 12, 1))
    assert "date" in err.value.message_dict


@pytest.mark.django_db
def test_publishing_refuses_bad_versions() -> None:
    with pytest.raises(ValidationError) as err:
        policy_publish(rules=[("*", "其他地区", OriginRisk.OBSERVE)], **POLICY_2020)
    assert "effective_from" in err.value.message_dict
    fields = {**POLICY_2020, "effective_from": dt.date(2020, 6, 1)}
    with pytest.raises(ValidationError) as err:
        policy_publish(rules=[("420000", "湖北省", OriginRisk.MUST_NOT_RETURN)], **fields)
    assert "origin_rules" in err.value.message_dict
    fields["fever_threshold"] = Decimal("39.9")
    with pytest.raises(ValidationError) as err:
        policy_publish(rules=[("*", "其他地区", OriginRisk.OBSERVE)], **fields)
    assert "fever_threshold" in err.value.message_dict


def test_the_policy_api_and_page(world: World) -> None:
    api = world.api(world.guard)
    body = api.get("/api/v1/policies/in-force/?date=2020-03-01").json()
    assert body["observation_days"] == 14 and body["fever_threshold"] == "37.3"
    bad = api.get("/api/v1/policies/in-force/?date=2020-02-30")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "date"
    early = api.get("/api/v1/policies/in-force/?date=2019-01-01")
    assert early.status_code == 400 and early.json()["errors"][0]["code"] == "no_policy"
    page = world.client(world.guard).get("/policy/?date=2020-03-01").content.decode()
    assert "观察 14 天" in page and "37.3" in page
    assert "格式不对" in world.client(world.guard).get("/policy/?date=abc").content.decode()
