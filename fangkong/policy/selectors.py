from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from fangkong.core.errors import invalid
from fangkong.policy.models import OriginRule, PolicyStatus, PolicyVersion
from fangkong.policy.module import PolicyCapability

# The settings a version carries (a draft may change them), in the order pages show them.
POLICY_SETTINGS = (
    "label",
    "issued_by",
    "observation_days",
    "fever_threshold",
    "dorm_min_area_m2",
    "dorm_max_per_room",
    "underground_min_area_m2",
    "underground_max_per_room",
    "underground_bunk_beds_allowed",
    "onsite_rate_max",
    "onsite_rate_kinds",
    "duty_min_rest_hours",
    "party_activist_min_days",
    "party_probation_days",
    "care_urgent_hours",
    "care_request_hours",
    "donation_suggested_max",
    "note",
)


def policy_in_force(*, on: dt.date) -> PolicyVersion:
    """The policy version in force on date `on`: the latest one effective on or before it."""
    policy = (
        PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    )
    if policy is None:
        raise invalid("date", _("%(on)s 没有生效的防控政策") % {"on": on}, "no_policy")
    return policy


def duty_min_rest_hours_on(on: dt.date) -> int:
    """The shortest rest between two shifts of one person on day `on` (the field's default
    where no policy is in force yet)."""
    policy = PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from")
    hours = policy.values_list("duty_min_rest_hours", flat=True).first()
    if hours is None:
        default = PolicyVersion._meta.get_field("duty_min_rest_hours").default
        return int(default)
    return int(hours)


def party_intervals_on(on: dt.date) -> dict[str, int]:
    """The minimum days between party-member development stages in force on `on`
    (activist → development object, probationary → full member); the fields' defaults
    where no policy is in force yet."""
    names = ("party_activist_min_days", "party_probation_days")
    policy = PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from")
    row = policy.values(*names).first()
    if row is None:
        return {name: 365 for name in names}  # the fields' defaults: one year each
    return {name: int(row[name]) for name in names}


def donation_suggested_max_on(on: dt.date) -> Decimal:
    """The suggested donation of the policy in force on `on` (100 yuan, the 2020 call's,
    where no policy is in force yet): more is accepted and shown, never refused."""
    policy = PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from")
    value = policy.values_list("donation_suggested_max", flat=True).first()
    if value is None:
        return Decimal("100.00")
    return Decimal(value)


def care_hours_on(on: dt.date) -> tuple[int, int]:
    """(urgent, other): the hours within which an isolated household's request must be
    done under the policy in force on `on` (the fields' defaults where none is yet)."""
    policy = PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from")
    row = policy.values_list("care_urgent_hours", "care_request_hours").first()
    if row is None:
        urgent = PolicyVersion._meta.get_field("care_urgent_hours").default
        other = PolicyVersion._meta.get_field("care_request_hours").default
        return int(urgent), int(other)
    return int(row[0]), int(row[1])


def onsite_rate_limit_on(on: dt.date, kind: str) -> Decimal | None:
    """The highest share of staff on site allowed on day `on` for a unit of `kind` (None:
    no policy in force, or the limit does not apply to that kind)."""
    row = (
        PolicyVersion.objects.filter(effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("onsite_rate_max", "onsite_rate_kinds")
        .first()
    )
    if row is None or kind not in row[1].split(","):
        return None
    return Decimal(row[0])


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
    raise invalid(
        "origin",
        _("政策“%(policy)s”没有适用于“%(region_code)s”的来源地规则")
        % {"policy": policy.label, "region_code": region_code},
        "no_rule",
    )


def policy_versions(*, user: Any) -> QuerySet[PolicyVersion]:
    """Published versions, newest first; drafts too for those who may publish."""
    qs = PolicyVersion.objects.prefetch_related("origin_rules")
    if not user.can(PolicyCapability.CHANGE):
        qs = qs.filter(status=PolicyStatus.PUBLISHED)
    return qs.order_by(F("effective_from").desc(nulls_first=True), "-pk")


def policy_previous(policy: PolicyVersion) -> PolicyVersion | None:
    """What a version replaces: a draft its source; a published version the one before."""
    if policy.is_draft:
        return policy.based_on
    return (
        PolicyVersion.objects.filter(effective_from__lt=policy.effective_from)
        .order_by("-effective_from")
        .first()
    )


@dataclass(frozen=True)
class Difference:
    what: str  # a setting's label, or an origin's name
    before: str
    after: str


def _shown(policy: PolicyVersion, name: str) -> str:
    value = getattr(policy, name)
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def _rule_text(rule: OriginRule) -> str:
    days = rule.days
    return f"{rule.get_risk_display()}" + (f"（{days} 天）" if days else "")


def policy_diff(*, policy: PolicyVersion, previous: PolicyVersion | None) -> list[Difference]:
    """What `policy` changes against `previous`: settings, then origin rules."""
    if previous is None:
        return []
    out = []
    for name in POLICY_SETTINGS:
        if name in ("label", "note"):
            continue
        if getattr(policy, name) != getattr(previous, name):
            label = str(getattr(PolicyVersion._meta.get_field(name), "verbose_name", name))
            out.append(Difference(label, _shown(previous, name), _shown(policy, name)))
    before = {r.region_code: r for r in previous.origin_rules.all()}
    after = {r.region_code: r for r in policy.origin_rules.all()}
    for code in sorted(before.keys() | after.keys()):
        old, new = before.get(code), after.get(code)
        name = (new or old).region_name or code  # type: ignore[union-attr]
        old_text = _rule_text(old) if old else "—"
        new_text = _rule_text(new) if new else "—"
        if old_text != new_text:
            out.append(Difference(f"{_('来源地')}：{name}", old_text, new_text))
    return out
