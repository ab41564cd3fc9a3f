"""Publishing policy. A version that is already in force is never edited: a change is a
new version with a later effective date, so old decisions keep their meaning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import Conflict, invalid
from fangkong.policy.models import OriginRisk, OriginRule, PolicyStatus, PolicyVersion
from fangkong.policy.selectors import POLICY_SETTINGS, policy_in_force
from fangkong.policy.signals import policy_drafted

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
        raise invalid("effective_from", _("请给出生效日期"), "required")
    if PolicyVersion.objects.filter(effective_from=effective_from).exists():
        raise invalid(
            "effective_from",
            _("%(effective_from)s 已有一版政策生效") % {"effective_from": effective_from},
            "duplicate",
        )
    if not any(code == OriginRule.ELSEWHERE for code, _name, _risk in rules):
        raise invalid("origin_rules", _("必须有一条适用于“其他地区”（*）的规则"), "required")
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


def _audit(actor: Any, policy: PolicyVersion, detail: str) -> None:
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=policy, detail=detail)


def _editable(policy: PolicyVersion) -> PolicyVersion:
    """The draft, locked; a published version is refused (it never changes)."""
    current = PolicyVersion.objects.select_for_update().get(pk=policy.pk)
    if not current.is_draft:
        raise Conflict(
            "status",
            _("“%(current)s”已发布，不能再修改；请起草新版本") % {"current": current},
            code="published",
            id=current.pk,
        )
    return current


@transaction.atomic
def policy_draft(*, actor: Any, based_on: PolicyVersion | None = None) -> PolicyVersion:
    """A new draft: a copy of `based_on` (by default the version in force today), its
    settings and origin rules, to change and then publish. Other apps copy their own rules
    of the version (policy_drafted)."""
    source = based_on or policy_in_force(on=timezone.localdate())
    draft = PolicyVersion(
        **{name: getattr(source, name) for name in POLICY_SETTINGS},
        status=PolicyStatus.DRAFT,
        effective_from=None,
        based_on=source,
        created_by=actor,
    )
    draft.label = f"{source.label}（修订草稿）"[:100]
    draft.full_clean()
    draft.save()
    OriginRule.objects.bulk_create(
        OriginRule(
            policy=draft,
            region_code=rule.region_code,
            region_name=rule.region_name,
            risk=rule.risk,
            observation_days=rule.observation_days,
        )
        for rule in source.origin_rules.all()
    )
    policy_drafted.send(sender=PolicyVersion, draft=draft, source=source)
    _audit(actor, draft, f"起草政策新版本（依据“{source}”）")
    return draft


@transaction.atomic
def policy_update(*, actor: Any, draft: PolicyVersion, **settings: Any) -> PolicyVersion:
    """Change a draft's settings (the names of POLICY_SETTINGS)."""
    draft = _editable(draft)
    unknown = set(settings) - set(POLICY_SETTINGS)
    if unknown:
        raise invalid(sorted(unknown)[0], _("不能修改这一项"), "unknown_field")
    changed = [name for name, value in settings.items() if getattr(draft, name) != value]
    for name in changed:
        setattr(draft, name, settings[name])
    draft.full_clean()
    draft.save()
    if changed:
        _audit(actor, draft, "修改政策草稿：" + "、".join(changed))
    return draft


def _clean_rules(rules: Sequence[dict[str, Any]]) -> list[OriginRule]:
    cleaned: list[OriginRule] = []
    seen: set[str] = set()
    for i, row in enumerate(rules):
        code = str(row.get("region_code") or "").strip()
        if not code:
            raise invalid(f"origin_rules.{i}.region_code", _("请填写来源地代码"), "required")
        if code in seen:
            raise invalid(
                f"origin_rules.{i}.region_code",
                _("来源地“%(code)s”重复") % {"code": code},
                "duplicate",
            )
        seen.add(code)
        if row.get("risk") not in OriginRisk.values:
            raise invalid(f"origin_rules.{i}.risk", _("请选择处置方式"), "invalid_choice")
        rule = OriginRule(
            region_code=code,
            region_name=str(row.get("region_name") or "").strip(),
            risk=row["risk"],
            observation_days=row.get("observation_days") or None,
        )
        try:
            rule.full_clean(exclude=["policy"])
        except ValidationError as exc:
            raise ValidationError(
                {f"origin_rules.{i}.{k}": v for k, v in exc.message_dict.items()}
            ) from None
        cleaned.append(rule)
    if OriginRule.ELSEWHERE not in seen:
        raise invalid("origin_rules", _("必须有一条适用于“其他地区”（*）的规则"), "required")
    return cleaned


@transaction.atomic
def policy_rules_set(
    *, actor: Any, draft: PolicyVersion, rules: Sequence[dict[str, Any]]
) -> PolicyVersion:
    """Replace a draft's origin rules: [{region_code, region_name, risk, observation_days}]."""
    draft = _editable(draft)
    cleaned = _clean_rules(rules)
    draft.origin_rules.all().delete()
    for rule in cleaned:
        rule.policy = draft
    OriginRule.objects.bulk_create(cleaned)
    _audit(actor, draft, f"修改政策草稿的来源地规则（{len(cleaned)} 条）")
    return draft


@transaction.atomic
def policy_publish_draft(
    *, actor: Any, draft: PolicyVersion, effective_from: dt.date
) -> PolicyVersion:
    """Publish a draft from `effective_from` (today or later: decisions already taken keep
    the version they applied). From then on it never changes."""
    draft = _editable(draft)
    if not isinstance(effective_from, dt.date):
        raise invalid("effective_from", _("请给出生效日期"), "required")
    if effective_from < timezone.localdate():
        raise invalid("effective_from", _("生效日期不能早于今天"), "past")
    taken = PolicyVersion.objects.filter(effective_from=effective_from).first()
    if taken is not None:
        raise invalid(
            "effective_from",
            _("%(effective_from)s 已有一版政策生效：“%(taken)s”")
            % {"effective_from": effective_from, "taken": taken},
            "duplicate",
        )
    if not draft.origin_rules.filter(region_code=OriginRule.ELSEWHERE).exists():
        raise invalid("origin_rules", _("必须有一条适用于“其他地区”（*）的规则"), "required")
    draft.status = PolicyStatus.PUBLISHED
    draft.effective_from = effective_from
    draft.published_at = timezone.now()
    draft.published_by = actor
    draft.full_clean()
    draft.save()
    _audit(actor, draft, f"发布政策“{draft.label}”，{effective_from} 起生效")
    return draft


@transaction.atomic
def policy_discard(*, actor: Any, draft: PolicyVersion) -> None:
    """Throw a draft away (a published version cannot be)."""
    draft = _editable(draft)
    _audit(actor, draft, f"放弃政策草稿“{draft.label}”")
    draft.delete()
