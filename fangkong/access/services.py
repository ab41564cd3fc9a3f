"""The only place that changes passes, gates, referrals and visits. The gate check itself
(the hot path) is fangkong.access.checks."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fangkong.access import checks
from fangkong.access.models import (
    HELD_STATUSES,
    CheckDecision,
    Gate,
    GateCheck,
    GateKind,
    GateReferral,
    Pass,
    PassKind,
    PassStatus,
    Reason,
    ReferralKind,
    ReferralStatus,
    Visit,
    VisitKind,
    VisitReason,
    VisitRule,
)
from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.arrivals.models import ArrivalNotice
from fangkong.arrivals.notices.services import unannounced_register
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.crypto import encrypt
from fangkong.core.errors import invalid
from fangkong.core.identity import mask_phone, normalize_phone
from fangkong.core.temperature import parse_temperature
from fangkong.policy.models import PolicyVersion
from fangkong.registry.models import Person, Residence, Whereabouts

NUMBER_DIGITS = 10  # 9 random digits and a check digit: a typo is caught before a lookup
TEMPORARY_MAX_DAYS = 90


# --- numbers and tokens ---------------------------------------------------------------------
def luhn_digit(digits: str) -> str:
    """The Luhn check digit for `digits` (catches every single-digit typo and most swaps)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def number_is_valid(number: str) -> bool:
    return (
        len(number) == NUMBER_DIGITS
        and number.isascii()
        and number.isdigit()
        and luhn_digit(number[:-1]) == number[-1]
    )


def new_number() -> str:
    body = str(secrets.randbelow(9 * 10 ** (NUMBER_DIGITS - 2)) + 10 ** (NUMBER_DIGITS - 2))
    return body + luhn_digit(body)


def new_token() -> str:
    """The QR content: 192 random bits, nothing about the holder."""
    return secrets.token_urlsafe(24)


def _visible_area(actor: Any, area: Area, field: str) -> None:
    if not Area.objects.visible_to(actor).filter(pk=area.pk).exists():
        raise invalid(
            field, _("“%(area)s”不在您的管辖范围内") % {"area": area.name}, "out_of_scope"
        )


def _ensure_pass_visible(actor: Any, gate_pass: Pass) -> None:
    if not Pass.objects.visible_to(actor).filter(pk=gate_pass.pk).exists():
        raise PermissionDenied(_("这张出入证不在您的管辖范围内"))


def _within(path: str, area: Area) -> bool:
    return path.startswith(area.path)


def person_belongs_to(person: Person, area: Area, kind: str) -> bool:
    """Lives in `area` (current home, or registered there), or, for a worker pass, works
    for a unit there."""
    homes = Residence.objects.filter(person=person, until__isnull=True).values_list(
        "address__area__path", flat=True
    )
    paths = [*homes, person.area.path]
    if kind == PassKind.WORKER and person.employer_id is not None:
        paths.append(person.employer.area.path)  # type: ignore[union-attr]
    return any(_within(p, area) for p in paths)


# --- passes ------------------------------------------------------------------------------
def _create_pass(**fields: Any) -> Pass:
    """Insert with a fresh number; a (rare) number collision just draws again."""
    for _attempt in range(5):
        gate_pass = Pass(token=new_token(), number=new_number(), **fields)
        try:
            with transaction.atomic():
                gate_pass.save()
        except IntegrityError as exc:
            if (
                Pass.objects.filter(number=gate_pass.number).exists()
                or Pass.objects.filter(token=gate_pass.token).exists()
            ):
                continue
            raise _already_held(fields["person"], fields["area"]) from exc
        return gate_pass
    raise RuntimeError("could not draw a free pass number")  # pragma: no cover


def _already_held(person: Person, area: Area) -> Exception:
    held = Pass.objects.filter(person=person, area=area, status__in=HELD_STATUSES).first()
    number = held.number_display if held else ""
    return invalid(
        "person",
        _("%(person)s 已有%(area)s的出入证 %(number)s，无需重复办理")
        % {"person": person.name, "area": area.name, "number": number},
        "held",
    )


@transaction.atomic
def pass_issue(
    *,
    actor: Any,
    person: Person,
    area: Area,
    kind: str,
    verified: bool,
    valid_until: dt.date | None = None,
    today: dt.date | None = None,
) -> Pass:
    """Issue a pass to a registered person living or working in `area`, after a worker has
    checked their document in person (`verified`). One held pass per person and zone."""
    today = today or timezone.localdate()
    if not verified:
        raise invalid("verified", _("请先当面核验本人证件"), "not_verified")
    if kind not in PassKind.values:
        raise invalid("kind", _("未知出入证类别“%(kind)s”") % {"kind": kind}, "invalid_choice")
    if area.kind not in LIVING_KINDS or area.retired_on is not None:
        raise invalid("area", _("出入证须办到社区、村或片区"), "wrong_level")
    _visible_area(actor, area, "area")
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise invalid("person", _("该人员不在您的管辖范围内"), "out_of_scope")
    if person.merged_into_id is not None:
        raise invalid(
            "person",
            _("该人员记录已合并到 #%(merged_into_id)s") % {"merged_into_id": person.merged_into_id},
            "merged",
        )
    if person.whereabouts == Whereabouts.NOT_BACK:
        raise invalid(
            "person",
            _("%(person)s 登记为未返京，返京后再办理") % {"person": person.name},
            "not_back",
        )
    if not person_belongs_to(person, area, kind):
        raise invalid(
            "area",
            _("%(person)s 不在%(area)s居住或工作，不能办理该片区的出入证")
            % {"person": person.name, "area": area.name},
            "not_here",
        )
    if kind == PassKind.TEMPORARY and valid_until is None:
        raise invalid("valid_until", _("临时出入证须填写有效期"), "required")
    if valid_until is not None:
        if valid_until < today:
            raise invalid("valid_until", _("有效期不能早于今天"), "past")
        if kind == PassKind.TEMPORARY and valid_until > today + dt.timedelta(
            days=TEMPORARY_MAX_DAYS
        ):
            raise invalid(
                "valid_until",
                _("临时出入证有效期最长 %(temporary_max_days)s 天")
                % {"temporary_max_days": TEMPORARY_MAX_DAYS},
                "too_long",
            )
    if Pass.objects.filter(person=person, area=area, status__in=HELD_STATUSES).exists():
        raise _already_held(person, area)
    gate_pass = _create_pass(
        person=person, area=area, kind=kind, valid_until=valid_until, issued_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=gate_pass,
        detail=f"核发出入证 {gate_pass.number}（{gate_pass.get_kind_display()}）",
    )
    return gate_pass


def _locked(gate_pass: Pass) -> Pass:
    return Pass.objects.select_for_update().select_related("person", "area").get(pk=gate_pass.pk)


def _set_status(actor: Any, gate_pass: Pass, status: str, reason: str, detail: str) -> Pass:
    gate_pass.status = status
    gate_pass.status_reason = reason[:200]
    gate_pass.save(update_fields=["status", "status_reason", "changed_at"])
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=gate_pass, detail=detail)
    return gate_pass


def _reason(reason: str, doing: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise invalid("reason", _("请填写%(doing)s的原因") % {"doing": doing}, "required")
    return text


@transaction.atomic
def pass_replace(*, actor: Any, gate_pass: Pass, reason: str) -> Pass:
    """A lost or damaged card: the old token and number stop working at once (revoked,
    pointing at the new pass); the new pass keeps person, zone, kind and end date. Like
    作废, it cannot be undone, so it needs a reason (遗失、损坏…)."""
    _ensure_pass_visible(actor, gate_pass)
    reason = _reason(reason, pgettext("pass", "补办"))
    old = _locked(gate_pass)
    if old.status not in HELD_STATUSES:
        raise invalid(
            "pass",
            _("该出入证%(status)s，不能补办") % {"status": old.get_status_display()},
            "not_held",
        )
    status, held_reason = old.status, old.status_reason  # suspended stays suspended
    _set_status(actor, old, PassStatus.REVOKED, reason, f"出入证 {old.number} 作废（{reason}）")
    new = _create_pass(
        person=old.person,
        area=old.area,
        kind=old.kind,
        valid_until=old.valid_until,
        issued_by=actor,
        status=status,
        status_reason=held_reason if status == PassStatus.SUSPENDED else "",
    )
    old.replaced_by = new
    old.save(update_fields=["replaced_by", "changed_at"])
    audit_record(
        actor=actor, action=AuditAction.CHANGE, obj=new, detail=f"补办出入证，替换 {old.number}"
    )
    return new


@transaction.atomic
def pass_suspend(*, actor: Any, gate_pass: Pass, reason: str) -> Pass:
    _ensure_pass_visible(actor, gate_pass)
    reason = _reason(reason, pgettext("pass", "暂停"))
    current = _locked(gate_pass)
    if current.status != PassStatus.ACTIVE:
        raise invalid(
            "pass",
            _("该出入证%(status)s，不能暂停") % {"status": current.get_status_display()},
            "not_active",
        )
    return _set_status(actor, current, PassStatus.SUSPENDED, reason, f"暂停出入证（{reason}）")


@transaction.atomic
def pass_reactivate(*, actor: Any, gate_pass: Pass) -> Pass:
    _ensure_pass_visible(actor, gate_pass)
    current = _locked(gate_pass)
    if current.status != PassStatus.SUSPENDED:
        raise invalid("pass", _("只有暂停使用的出入证可以恢复"), "not_suspended")
    return _set_status(actor, current, PassStatus.ACTIVE, "", "恢复出入证")


@transaction.atomic
def pass_revoke(*, actor: Any, gate_pass: Pass, reason: str) -> Pass:
    _ensure_pass_visible(actor, gate_pass)
    reason = _reason(reason, pgettext("pass", "作废"))
    current = _locked(gate_pass)
    if current.status not in HELD_STATUSES:
        raise invalid(
            "pass", _("该出入证%(status)s") % {"status": current.get_status_display()}, "not_held"
        )
    return _set_status(actor, current, PassStatus.REVOKED, reason, f"作废出入证（{reason}）")


def daily_expire_passes(*, on: dt.date, dry_run: bool = False) -> int:
    """Daily step: held passes whose end date is before `on` become expired. One UPDATE;
    idempotent. (The gate check already denies them from the day after their end date.)"""
    qs = Pass.objects.filter(status__in=HELD_STATUSES, valid_until__lt=on)
    if dry_run:
        return qs.count()
    return qs.update(
        status=PassStatus.EXPIRED, status_reason="有效期已过", changed_at=timezone.now()
    )


# --- gates -------------------------------------------------------------------------------
@transaction.atomic
def gate_create(
    *,
    actor: Any,
    area: Area,
    name: str,
    kind: str = GateKind.ENTRANCE,
    opens: list[Area] | None = None,
    staffed_24h: bool = True,
) -> Gate:
    name = (name or "").strip()
    if not name:
        raise invalid("name", _("请填写门岗名称"), "required")
    if kind not in GateKind.values:
        raise invalid("kind", _("未知门岗类型“%(kind)s”") % {"kind": kind}, "invalid_choice")
    if area.kind not in LIVING_KINDS:
        raise invalid("area", _("门岗须设在社区、村或片区"), "wrong_level")
    _visible_area(actor, area, "area")
    opens = opens or [area]
    for zone in opens:
        _visible_area(actor, zone, "opens")
    if Gate.objects.filter(area=area, name=name).exists():
        raise invalid(
            "name",
            _("%(area)s已有名为“%(name)s”的门岗") % {"area": area.name, "name": name},
            "duplicate",
        )
    gate = Gate.objects.create(area=area, name=name[:60], kind=kind, staffed_24h=staffed_24h)
    gate.opens.set(opens)
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=gate, detail=f"设立门岗 {name}")
    return gate


@transaction.atomic
def gate_set_active(*, actor: Any, gate: Gate, active: bool) -> Gate:
    if not Gate.objects.visible_to(actor).filter(pk=gate.pk).exists():
        raise PermissionDenied(_("这个门岗不在您的管辖范围内"))
    gate.active = active
    gate.save(update_fields=["active"])
    checks.caches_clear()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=gate,
        detail="启用门岗" if active else "停用门岗",
    )
    return gate


# --- referrals ----------------------------------------------------------------------------
@transaction.atomic
def referral_create(
    *, actor: Any, check: GateCheck, name: str = "", note: str = ""
) -> GateReferral:
    """The guard hands a person stopped without a pass to the community: a returnee who
    came without notice. Once per check; sending it again updates the name and note."""
    if not GateCheck.objects.visible_to(actor).filter(pk=check.pk).exists():
        raise PermissionDenied(_("这次查验不在您的管辖范围内"))
    if Reason.NO_PASS not in check.reason_codes:
        raise invalid("check_id", _("只有“无出入证”被拦下的人员才转社区登记"), "has_pass")
    name, note = (name or "").strip()[:50], (note or "").strip()[:200]
    referral, created = GateReferral.objects.get_or_create(
        gate_check=check,
        defaults={
            "area_id": check.area_id,
            "gate_id": check.gate_id,
            "person_id": check.person_id,
            "kind": ReferralKind.UNANNOUNCED,
            "name": name,
            "note": note,
            "created_by": actor,
        },
    )
    if not created and (name or note):
        referral.name = name or referral.name
        referral.note = note or referral.note
        referral.save(update_fields=["name", "note"])
    return referral


@transaction.atomic
def referral_handle(*, actor: Any, referral: GateReferral, handling: str) -> GateReferral:
    if not GateReferral.objects.visible_to(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied(_("这条记录不在您的管辖范围内"))
    handling = (handling or "").strip()
    if not handling:
        raise invalid("handling", _("请填写处理情况"), "required")
    referral = GateReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == ReferralStatus.DONE:
        raise invalid("handling", _("这条记录已处理"), "already_done")
    referral.status = ReferralStatus.DONE
    referral.handling = handling[:200]
    referral.handled_by = actor
    referral.handled_at = timezone.now()
    referral.save(update_fields=["status", "handling", "handled_by", "handled_at"])
    return referral


def _open_referral(actor: Any, referral: GateReferral) -> GateReferral:
    """The referral, locked, if `actor` may see it and it is still open."""
    if not GateReferral.objects.visible_to(actor).filter(pk=referral.pk).exists():
        raise PermissionDenied(_("这条记录不在您的管辖范围内"))
    referral = GateReferral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == ReferralStatus.DONE:
        raise invalid("referral", _("这条门岗转交已处理"), "already_done")
    return referral


@transaction.atomic
def referral_register_arrival(
    *, actor: Any, referral: GateReferral, **registration: Any
) -> ArrivalNotice:
    """A returnee stopped at a gate without pass or notice, registered from the referral
    (fangkong.arrivals.notices.services.unannounced_register takes `registration`); the
    referral is marked handled in the same transaction, so neither happens without the
    other. The unannounced-arrival page reaches it through the referral's arrival source
    (fangkong.access.arrival_source)."""
    referral = _open_referral(actor, referral)
    if referral.kind != ReferralKind.UNANNOUNCED:
        raise invalid("referral", _("只有“无出入证的返京人员”可登记为未提前告知返京"), "wrong_kind")
    notice = unannounced_register(actor=actor, **registration)
    referral.status = ReferralStatus.DONE
    referral.handling = f"已登记为未提前告知返京人员（返京报备 #{notice.pk}）"
    referral.handled_by = actor
    referral.handled_at = timezone.now()
    referral.save(update_fields=["status", "handling", "handled_by", "handled_at"])
    return notice


# --- visitors and deliveries ------------------------------------------------------------
# The rules of spring 2020 (外来人员、车辆一律禁止进入; 快递外卖放在门口), used for a policy
# version that has no VisitRule rows of its own. kind → reason → admitted?
DEFAULT_VISIT_RULES: dict[str, dict[str, bool]] = {
    VisitKind.VISITOR: {
        VisitReason.OFFICIAL: True,
        VisitReason.REPAIR: True,
        VisitReason.CARE: True,
        VisitReason.MEDICAL: True,
        VisitReason.RELATIVE: False,
        VisitReason.OTHER: False,
    },
    VisitKind.DELIVERY: {
        VisitReason.PARCEL: False,
        VisitReason.TAKEAWAY: False,
        VisitReason.SUPPLIES: True,  # supplies for isolated households are carried in
        VisitReason.OTHER: False,
    },
}


def visit_rules_seed(*, policy: PolicyVersion) -> int:
    """Write the default rules as data for `policy` (idempotent); returns rows added."""
    added = 0
    for kind, rules in DEFAULT_VISIT_RULES.items():
        for reason, admit in rules.items():
            _, created = VisitRule.objects.get_or_create(
                policy=policy, kind=kind, reason=reason, defaults={"admit": admit}
            )
            added += int(created)
    return added


def visit_rules_copy(*, source: PolicyVersion, draft: PolicyVersion) -> int:
    """A new policy draft starts with the visit rules of the version it copies."""
    rules = [
        VisitRule(policy=draft, kind=r.kind, reason=r.reason, admit=r.admit, note=r.note)
        for r in VisitRule.objects.filter(policy=source)
    ]
    VisitRule.objects.bulk_create(rules)
    return len(rules)


def visit_admitted(*, policy: PolicyVersion | None, kind: str, reason: str) -> bool:
    if policy is not None:
        rule = VisitRule.objects.filter(policy=policy, kind=kind, reason=reason).first()
        if rule is not None:
            return rule.admit
        if VisitRule.objects.filter(policy=policy).exists():
            return False  # the version has rules, and none admits this
    return DEFAULT_VISIT_RULES.get(kind, {}).get(reason, False)


@transaction.atomic
def visit_register(
    *,
    actor: Any,
    gate: Gate,
    kind: str,
    reason: str,
    name: str,
    temperature: Decimal | str,
    phone: str = "",
    destination: str = "",
    plate: str = "",
) -> Visit:
    """A visitor or a delivery at a gate: registered with a reason, admitted or denied by
    the policy in force (and a fever is a denial and an alert-worthy referral)."""
    if not Gate.objects.visible_to(actor).filter(pk=gate.pk, active=True).exists():
        raise invalid("gate", _("门岗不存在或不在您的管辖范围内"), "not_found")
    if kind not in VisitKind.values:
        raise invalid("kind", _("请选择访客或快递外卖"), "invalid_choice")
    fitting = visit_reasons(kind)
    if reason not in fitting:
        labels = "、".join(str(VisitReason(r).label) for r in fitting)
        kind_label = VisitKind(kind).label
        if reason in VisitReason.values:
            text = _("事由“%(reason)s”不适用于%(kind)s，请选：%(choices)s") % {
                "reason": VisitReason(reason).label,
                "kind": kind_label,
                "choices": labels,
            }
        else:
            text = _("请选择事由（%(kind)s：%(choices)s）") % {
                "kind": kind_label,
                "choices": labels,
            }
        raise invalid("reason", text, "invalid_choice")
    name = (name or "").strip()
    if not name:
        raise invalid("name", _("请填写姓名"), "required")
    temperature = parse_temperature(temperature)
    phone_e164 = ""
    if phone.strip():
        try:
            phone_e164 = normalize_phone(phone)
        except Exception as exc:
            raise invalid("phone", " ".join(getattr(exc, "messages", [str(exc)]))) from None
    today = timezone.localdate()
    policy = PolicyVersion.objects.filter(effective_from__lte=today).first()
    reasons: list[str] = []
    if temperature >= checks.fever_threshold(today):
        reasons.append(Reason.FEVER)
    if not visit_admitted(policy=policy, kind=kind, reason=reason):
        reasons.append(Reason.NOT_ALLOWED)
    visit = Visit.objects.create(
        area_id=gate.area_id,
        gate=gate,
        kind=kind,
        reason=reason,
        name=name[:50],
        phone_cipher=encrypt(phone_e164) if phone_e164 else None,
        phone_masked=mask_phone(phone_e164) if phone_e164 else "",
        destination=destination.strip()[:100],
        plate=plate.strip().upper()[:16],
        temperature=temperature,
        decision=CheckDecision.DENY if reasons else CheckDecision.ADMIT,
        reasons=",".join(str(r) for r in reasons),
        policy=policy,
        guard=actor,
    )
    return visit


def visit_reasons(kind: str) -> list[str]:
    """The reasons that fit a visitor (公务、维修…) or a delivery (快递、外卖…)."""
    return list(DEFAULT_VISIT_RULES.get(kind, {}))
