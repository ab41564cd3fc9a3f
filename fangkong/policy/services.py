"""Publishing policy. A version that is already in force is never edited: a change is a
new version with a later effective date, so old decisions keep their meaning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fangkong.core.errors import invalid
from fangkong.policy.models import OriginRisk, OriginRule, PolicyVersion

RULES_2020 = [
    ("420000", "湖北省", OriginRisk.MUST_NOT_RETURN),
    (OriginRule.OVERSEAS, "境外", OriginRisk.OBSERVE_REGISTERED),
    (OriginRule.ELSEWHERE, "其他地区", OriginRisk.OBSERVE),
]

POLICY_2020: dict[str, Any] = {
    "label": "北京市返京人员管理规定（2020 年 1 月 24 日起）",
    "effective_from": dt.date(2020, 1, 24),
    "issued_by": "北京市新型冠状病毒肺炎疫情防控工作领导小组",
    "observation_days": 14,
    "fever_threshold": Decimal("37.3"),
    "dorm_min_area_m2": Decimal("4.0"),
    "dorm_max_per_room": 6,
    "underground_min_area_m2": Decimal("5.0"),
    "underground_max_per_room": 2,
    "underground_bunk_beds_allowed": False,
    "onsite_rate_max": Decimal("0.500"),
    "donation_suggested_max": Decimal("100.00"),
    "note": (
        "湖北返京人员暂缓返京；其他地区返京人员居家或集中观察 14 天；境外来京人员登记并观察 14 天。"
    ),
}


@transaction.atomic
def policy_publish(*, rules: Sequence[tuple[str, str, str]], **fields: Any) -> PolicyVersion:
    effective_from = fields.get("effective_from")
    if not isinstance(effective_from, dt.date):
        raise invalid("effective_from", "请给出生效日期", "required")
    if PolicyVersion.objects.filter(effective_from=effective_from).exists():
        raise invalid("effective_from", f"{effective_from} 已有一版政策生效", "duplicate")
    if not any(code == OriginRule.ELSEWHERE for code, _name, _risk in rules):
        raise invalid("origin_rules", "必须有一条适用于“其他地区”（*）的规则", "required")
    policy = PolicyVersion(**fields)
    policy.full_clean()
    policy.save()
    for code, name, risk in rules:
        rule = OriginRule(policy=policy, region_code=code, region_name=name, risk=risk)
        rule.full_clean()
        rule.save()
    return policy


def policy_seed_2020() -> PolicyVersion:
    """The 2020 rules from the source document; idempotent."""
    existing = PolicyVersion.objects.filter(effective_from=POLICY_2020["effective_from"]).first()
    return existing or policy_publish(rules=RULES_2020, **POLICY_2020)


def policy_is_editable(policy: PolicyVersion) -> bool:
    return policy.effective_from > timezone.localdate()
