from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fangkong.core.errors import invalid
from fangkong.policy.models import OriginRule, PolicyVersion


def policy_in_force(*, on: dt.date) -> PolicyVersion:
    """The policy version in force on date `on`: the latest one effective on or before it."""
    policy = (
        PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    )
    if policy is None:
        raise invalid("date", f"{on} 没有生效的防控政策", "no_policy")
    return policy


def fever_threshold_on(on: dt.date) -> Decimal | None:
    """The fever threshold of the policy in force on `on` (None when none is): one value,
    for the gate check, which caches it."""
    value = (
        PolicyVersion.objects.filter(effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("fever_threshold", flat=True)
        .first()
    )
    return None if value is None else Decimal(value)


def origin_rule_for(*, policy: PolicyVersion, region_code: str) -> OriginRule:
    """The rule for an origin: its province's rule, else `overseas`, else `*`."""
    code = region_code.strip()
    candidates = [code]
    if code.isdigit() and len(code) >= 2:
        candidates.append(code[:2] + "0000")
    candidates.append(OriginRule.ELSEWHERE)
    rules = {r.region_code: r for r in policy.origin_rules.filter(region_code__in=candidates)}
    for candidate in candidates:
        if candidate in rules:
            rule = rules[candidate]
            rule.policy = policy
            return rule
    raise invalid("origin", f"政策“{policy.label}”没有适用于“{region_code}”的来源地规则", "no_rule")
