"""The only writers of cadres: organs, cadres and their deployments (register, reassign
within the officer's area, end), the daily health check and sign-in, insurance and
training. A fever or a symptom at the health check makes the cadre unfit for the day and
the sign-in is refused; the community sees it on its 工作台. Every write is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.accounts.roles import Role
from fangkong.areas.models import LIVING_KINDS, Area
from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.cadres import placement
from fangkong.cadres.models import (
    Cadre,
    Deployment,
    HealthCheck,
    Insurance,
    Organ,
    OrganKind,
    SignIn,
    Training,
)
from fangkong.cadres.module import CadresCapability
from fangkong.cadres.placement import Placement
from fangkong.core.crypto import encrypt
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.identity import mask_phone, normalize_phone
from fangkong.core.scoping import ensure_visible
from fangkong.core.temperature import parse_temperature
from fangkong.policy.selectors import fever_threshold_on

DEFAULT_FEVER = Decimal("37.3")


def _need(actor: Any, capability: str) -> None:
    if not actor.can(capability):
        raise PermissionDenied(_("您的角色不能进行此操作"))


def _audit(actor: Any, obj: Any, detail: str, area: Any = None) -> None:
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=obj, area=area, detail=detail)
    if isinstance(area, Area):  # today's figures of the area are recounted when next read
        figures_touched.send(sender=Cadre, areas=[area.pk], on=timezone.localdate())


def _text(value: Any, field: str, limit: int, *, required: bool = True) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise invalid(field, _("请填写此项"), "required")
    if len(text) > limit:
        raise invalid(field, _("最多 %(limit)s 个字") % {"limit": limit}, "too_long")
    return text


def _post(area: Area, actor: Any) -> Area:
    ensure_visible(area, actor, field="area")
    if area.kind not in LIVING_KINDS:
        raise invalid("area", _("下沉干部安排到社区或村"), "invalid")
    return area


@transaction.atomic
def organ_create(*, actor: Any, name: str, kind: str = OrganKind.ORGAN) -> Organ:
    _need(actor, CadresCapability.MANAGE)
    name = _text(name, "name", 60)
    if kind not in OrganKind.values:
        raise invalid("kind", _("类型应为：%(choices)s") % {"choices": "、".join(OrganKind.values)})
    existing = Organ.objects.filter(name=name).first()
    if existing is not None:
        raise Conflict("name", _("派出单位“%(name)s”已登记") % {"name": name}, id=existing.pk)
    organ = Organ.objects.create(name=name, kind=kind)
    _audit(actor, organ, f"登记派出单位 {name}", area=actor.area)
    return organ


def _distance(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        distance = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise invalid("distance_km", _("距离应为公里数，如 10"), "invalid") from None
    if distance < 0 or distance > 500:
        raise invalid("distance_km", _("距离应在 0 到 500 公里之间"), "out_of_range")
    return distance


@transaction.atomic
def cadre_register(
    *,
    actor: Any,
    organ: Organ,
    name: str,
    area: Area,
    starts_on: dt.date,
    phone: str = "",
    distance_km: Any = None,
    account: Any = None,
) -> Cadre:
    """A cadre of `organ`, posted to `area` from `starts_on`; `account` is theirs where
    they use the system (a cadre account)."""
    _need(actor, CadresCapability.MANAGE)
    area = _post(area, actor)
    name = _text(name, "name", 50)
    cadre = Cadre(organ=organ, name=name, area=area, distance_km=_distance(distance_km))
    if phone:
        e164 = normalize_phone(phone)
        cadre.phone_cipher, cadre.phone_masked = encrypt(e164), mask_phone(e164)
    if account is not None:
        if account.role != Role.CADRE:
            raise invalid("account", _("账号的角色应为下沉干部"), "invalid")
        if Cadre.objects.filter(account=account).exists():
            raise invalid("account", _("这个账号已属于另一位下沉干部"), "taken")
        cadre.account = account
    cadre.save()
    Deployment.objects.create(cadre=cadre, area=area, starts_on=starts_on, by=actor)
    _audit(actor, cadre, f"下沉干部 {organ.name} → {area.name}", area=area)
    return cadre


def _open_deployment(cadre: Cadre) -> Deployment | None:
    return Deployment.objects.select_for_update().filter(cadre=cadre, ends_on__isnull=True).first()


@transaction.atomic
def cadre_reassign(*, actor: Any, cadre: Cadre, area: Area, on: dt.date) -> Cadre:
    """From `on`, the cadre serves at `area`: a street or township moves its cadres
    within its own area only (both ends must be in it)."""
    _need(actor, CadresCapability.MANAGE)
    ensure_visible(cadre, actor)
    area = _post(area, actor)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if not cadre.active:
        raise invalid("cadre", _("下沉已结束"), "ended")
    current = _open_deployment(cadre)
    if current is not None:
        if current.area_id == area.pk:
            return cadre
        if on < current.starts_on:
            raise invalid("on", _("调整日期不能早于本次下沉开始"), "invalid")
        current.ends_on, current.end_reason = on, "调整"
        current.save(update_fields=["ends_on", "end_reason"])
    Deployment.objects.create(cadre=cadre, area=area, starts_on=on, by=actor)
    cadre.area = area
    cadre.save(update_fields=["area"])
    _audit(actor, cadre, f"调整到 {area.name}（{on}）", area=area)
    return cadre


@transaction.atomic
def deployment_end(*, actor: Any, cadre: Cadre, on: dt.date, reason: str = "") -> Cadre:
    _need(actor, CadresCapability.MANAGE)
    ensure_visible(cadre, actor)
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    current = _open_deployment(cadre)
    if current is None or not cadre.active:
        raise Conflict("cadre", _("下沉已结束"), code="ended")
    if on < current.starts_on:
        raise invalid("on", _("结束日期不能早于本次下沉开始"), "invalid")
    current.ends_on, current.end_reason = on, _text(reason, "reason", 200, required=False)
    current.save(update_fields=["ends_on", "end_reason"])
    cadre.active = False
    cadre.save(update_fields=["active"])
    _audit(actor, cadre, f"结束下沉（{on}）{current.end_reason}", area=cadre.area)
    return cadre


def _for_cadre(actor: Any, cadre: Cadre) -> Cadre:
    """The community records checks of its cadres; a cadre account only its own. The
    cadre as stored now (a stale copy must not sign in someone whose deployment ended)."""
    _need(actor, CadresCapability.CHECK)
    ensure_visible(cadre, actor)
    cadre = Cadre.objects.select_related("area").get(pk=cadre.pk)
    if actor.role == Role.CADRE and cadre.account_id != actor.pk:
        raise PermissionDenied(_("下沉干部只能为自己签到和登记健康监测"))
    if not cadre.active or cadre.area_id is None:
        raise invalid("cadre", _("%(name)s 的下沉已结束") % {"name": cadre.name}, "ended")
    return cadre


@transaction.atomic
def health_check_record(
    *, actor: Any, cadre: Cadre, temperature: Any, symptoms: bool = False
) -> HealthCheck:
    """Today's health check; a fever (the policy's threshold) or a symptom: unfit today."""
    cadre = _for_cadre(actor, cadre)
    value = parse_temperature(temperature)
    area = cadre.area
    assert area is not None  # _for_cadre: a serving cadre has a post
    today = timezone.localdate()
    threshold = fever_threshold_on(today) or DEFAULT_FEVER
    fit = value < threshold and not symptoms
    try:
        with transaction.atomic():
            check = HealthCheck.objects.create(
                cadre=cadre,
                area=area,
                on=today,
                temperature=value,
                symptoms=bool(symptoms),
                fit=fit,
                recorded_by=actor,
                at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(
            "cadre", _("%(name)s 今天已做过健康监测") % {"name": cadre.name}, code="already"
        ) from None
    _audit(actor, check, f"健康监测 {value}°C{' 有症状' if symptoms else ''}", area=cadre.area)
    return check


@transaction.atomic
def sign_in(*, actor: Any, cadre: Cadre) -> SignIn:
    """Signed in at the community today: only after today's health check, and only fit."""
    cadre = _for_cadre(actor, cadre)
    area = cadre.area
    assert area is not None
    today = timezone.localdate()
    check = HealthCheck.objects.filter(cadre=cadre, on=today).first()
    if check is None:
        raise invalid("health", _("请先做今天的健康监测（测体温）再签到"), "no_health_check")
    if not check.fit:
        raise invalid(
            "health",
            _("%(name)s 今天体温 %(t)s°C 或有症状，不能上岗，请休息并就医观察")
            % {"name": cadre.name, "t": check.temperature},
            "unfit",
        )
    try:
        with transaction.atomic():
            row = SignIn.objects.create(
                cadre=cadre, area=area, on=today, at=timezone.now(), by=actor
            )
    except IntegrityError:
        raise Conflict(
            "cadre", _("%(name)s 今天已签到") % {"name": cadre.name}, code="already"
        ) from None
    _audit(actor, row, "签到", area=cadre.area)
    return row


@transaction.atomic
def insurance_record(
    *,
    actor: Any,
    cadre: Cadre,
    insurer: str,
    policy_number: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Insurance:
    _need(actor, CadresCapability.MANAGE)
    ensure_visible(cadre, actor)
    if ends_on < starts_on:
        raise invalid("ends_on", _("终止日期不能早于起保日期"), "invalid")
    insurance = Insurance.objects.create(
        cadre=cadre,
        insurer=_text(insurer, "insurer", 60),
        policy_number=_text(policy_number, "policy_number", 40),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _audit(actor, insurance, f"意外保险 {insurance.insurer} 至 {ends_on}", area=cadre.area)
    return insurance


@transaction.atomic
def training_record(*, actor: Any, cadre: Cadre, title: str, on: dt.date) -> Training:
    _need(actor, CadresCapability.MANAGE)
    ensure_visible(cadre, actor)
    training = Training.objects.create(
        cadre=cadre, title=_text(title, "title", 100), on=on, by=actor
    )
    _audit(actor, training, f"培训 {training.title}", area=cadre.area)
    return training


@dataclass
class Confirmed:
    rows: list[Any]  # the Allocation rows written
    placement: Placement  # who stayed, who was moved where, what is short


@transaction.atomic
def allocation_confirm(
    *, actor: Any, area: Area, lines: list[tuple[Organ, Area, int]]
) -> Confirmed:
    """Confirm where the cadres go under `area` (the proposal as adjusted): the lines
    replace those confirmed under `area` before. At the top of the tree the numbers of
    each organ must add up to what it sends; below (a street or township reassigning
    within its area) to what the area had of that organ. In the same transaction the
    organs' cadres are put in place from today (fangkong.cadres.placement): those at a
    target that still needs them stay, the others are reassigned (each move audited);
    where an organ has fewer cadres than it sends, the shortfall is returned."""
    from fangkong.cadres.allocation import TARGET_KINDS
    from fangkong.cadres.models import Allocation
    from fangkong.core.scoping import subtree_q

    _need(actor, CadresCapability.MANAGE)
    ensure_visible(area, actor, field="area")
    seen: set[tuple[int, int]] = set()
    for organ, target, number in lines:
        if target.kind not in TARGET_KINDS or not target.path.startswith(area.path):
            raise invalid(
                "area",
                _("“%(area)s”不在“%(scope)s”的社区、村中")
                % {"area": target.name, "scope": area.name},
                "out_of_scope",
            )
        if number < 0:
            raise invalid("number", _("人数不能为负"), "invalid")
        if (organ.pk, target.pk) in seen:
            raise invalid(
                "area",
                _("“%(organ)s → %(area)s”重复") % {"organ": organ.name, "area": target.name},
                "duplicate",
            )
        seen.add((organ.pk, target.pk))
    existing = Allocation.objects.filter(subtree_q("area__path", area.path))
    needed: dict[int, int] = {}
    if area.parent_id is None:  # the district: every organ's cadres, exactly
        needed = {o.pk: o.sends for o in Organ.objects.filter(sends__gt=0)}
    else:  # a street / township: what it had of each organ, moved around inside it
        for allocation in existing:
            needed[allocation.organ_id] = needed.get(allocation.organ_id, 0) + allocation.number
    given: dict[int, int] = {}
    for organ, _target, number in lines:
        given[organ.pk] = given.get(organ.pk, 0) + number
    names = {o.pk: o.name for o in Organ.objects.all()}
    for organ_id in set(needed) | set(given):
        if needed.get(organ_id, 0) != given.get(organ_id, 0):
            raise invalid(
                "number",
                _("%(organ)s 应分配 %(needed)s 人，现为 %(given)s 人")
                % {
                    "organ": names.get(organ_id, organ_id),
                    "needed": needed.get(organ_id, 0),
                    "given": given.get(organ_id, 0),
                },
                "total_mismatch",
            )
    existing.delete()
    now = timezone.now()
    rows = [
        Allocation.objects.create(
            organ=organ, area=target, number=number, confirmed_by=actor, confirmed_at=now
        )
        for organ, target, number in lines
        if number
    ]
    _audit(
        actor,
        area,
        "确认下沉分配：" + "；".join(f"{o.name}→{t.name} {n}" for o, t, n in lines if n),
        area=area,
    )
    return Confirmed(rows, _place(actor=actor, area=area, lines=lines))


def _place(*, actor: Any, area: Area, lines: list[tuple[Organ, Area, int]]) -> Placement:
    """Move the organs' cadres to match the confirmed lines (inside allocation_confirm)."""
    organs = list({organ.pk: organ for organ, _t, n in lines if n}.values())
    cadres = placement.pool(actor=actor, area=area, organs=organs)
    planned = placement.plan(cadres=cadres, lines=lines)
    today = timezone.localdate()
    for move in planned.moves:
        current = Deployment.objects.filter(cadre=move.cadre, ends_on__isnull=True).first()
        on = max(today, current.starts_on) if current is not None else today
        cadre_reassign(actor=actor, cadre=move.cadre, area=move.target, on=on)
    short = "；".join(f"{s.organ.name}→{s.target.name} 缺 {s.missing}" for s in planned.shortfall)
    _audit(
        actor,
        area,
        f"按分配安排到岗：留任 {planned.kept} 人，调整 {len(planned.moves)} 人"
        + (f"；{short}" if short else ""),
        area=area,
    )
    return planned


@transaction.atomic
def organ_sends_set(*, actor: Any, organ: Organ, sends: int) -> Organ:
    """How many cadres the organ sends (the district enters it)."""
    _need(actor, CadresCapability.MANAGE)
    if actor.area_id is not None and actor.area.parent_id is not None:
        raise PermissionDenied(_("选派人数由区里填写"))
    if isinstance(sends, bool) or not isinstance(sends, int) or not 0 <= sends <= 10_000:
        raise invalid("sends", _("选派人数应为 0 到 10000 的整数"), "invalid")
    organ = Organ.objects.select_for_update().get(pk=organ.pk)
    organ.sends = sends
    organ.save(update_fields=["sends"])
    _audit(actor, organ, f"选派人数 {sends}", area=actor.area)
    return organ
