"""The only writers of production quality: products, batches (with their sampling plan),
the sampling inspection and its decision, and the count / seal / box of an accepted
batch. Every refusal names its field; nothing is half-written."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.models import AuditAction
from fangkong.audit.services import audit_record
from fangkong.core.errors import Conflict, invalid
from fangkong.core.figures import figures_touched
from fangkong.core.scoping import ensure_visible
from fangkong.quality import sampling
from fangkong.quality.models import (
    Batch,
    BatchStatus,
    Decision,
    Defect,
    DefectKind,
    Inspection,
    Product,
)
from fangkong.units.models import Unit

MAX_LOT = 10_000_000
MAX_PER_BOX = 100_000


def _text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise invalid(field, _("请填写此项"), "required")
    if len(value) > limit:
        raise invalid(field, _("不能超过 %(limit)s 个字") % {"limit": limit}, "too_long")
    return value


def _whole(value: Any, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(field, _("应为整数"), "invalid")
    if not low <= value <= high:
        raise invalid(
            field,
            _("应在 %(low)s 到 %(high)s 之间") % {"low": low, "high": high},
            "out_of_range",
        )
    return int(value)


def _aql(value: Any) -> Decimal:
    try:
        return sampling.parse_aql(value)
    except sampling.SamplingError:
        raise invalid("aql", _("GB/T 2828.1 表 2-A 没有这个 AQL"), "invalid") from None


def _level(value: Any) -> str:
    try:
        return sampling.parse_level(value)
    except sampling.SamplingError:
        raise invalid("level", _("检验水平应为 I、II 或 III"), "invalid") from None


def _strength(value: Any, field: str) -> Decimal:
    try:
        strength = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise invalid(field, _("拉力应为数字（N）"), "invalid") from None
    if not strength.is_finite() or strength <= 0 or strength >= 1000:
        raise invalid(field, _("拉力应大于 0、小于 1000 N"), "out_of_range")
    return strength.quantize(Decimal("0.1"))


@transaction.atomic
def product_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    spec: str = "",
    loop_strength_min_n: Any = Decimal("10"),
    aql: Any = Decimal("2.5"),
    level: str = "II",
) -> Product:
    ensure_visible(unit, actor, field="unit")
    product = Product(
        unit=unit,
        name=_text(name, "name", 60),
        spec=_text(spec, "spec", 60, required=False),
        loop_strength_min_n=_strength(loop_strength_min_n, "loop_strength_min_n"),
        aql=_aql(aql),
        level=_level(level),
    )
    if Product.objects.filter(unit=unit, name=product.name).exists():
        raise invalid("name", _("该单位已有同名产品"), "duplicate")
    product.save()
    audit_record(actor=actor, action=AuditAction.CHANGE, obj=product, area=unit.area)
    return product


@transaction.atomic
def batch_register(
    *,
    actor: Any,
    product: Product,
    code: str,
    lot_size: Any,
    produced_on: dt.date,
    aql: Any = None,
    level: str | None = None,
) -> Batch:
    """A batch and its sampling plan (the product's AQL and level unless given)."""
    ensure_visible(product, actor, field="product")
    code = _text(code, "code", 40)
    lot = _whole(lot_size, "lot_size", low=2, high=MAX_LOT)
    column = _aql(product.aql if aql in (None, "") else aql)
    lvl = _level(level or product.level)
    if produced_on > timezone.localdate():
        raise invalid("produced_on", _("生产日期不能晚于今天"), "future")
    plan = sampling.sampling_plan(lot_size=lot, aql=column, level=lvl)
    batch = Batch(
        product=product,
        code=code,
        lot_size=lot,
        produced_on=produced_on,
        aql=column,
        level=lvl,
        lot_code_letter=plan.lot_code_letter,
        code_letter=plan.code_letter,
        sample_size=plan.sample_size,
        accept=plan.accept,
        reject=plan.reject,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        existing = Batch.objects.get(product=product, code=code)
        raise Conflict(
            "code", _("该产品已有批号 %(code)s") % {"code": code}, code="duplicate", id=existing.pk
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=batch,
        area=product.unit.area,
        detail=f"lot {lot} {plan.code_letter} n={plan.sample_size} Ac{plan.accept}",
    )
    return batch


def _defects(product: Product, defects: list[dict[str, Any]]) -> list[Defect]:
    rows: list[Defect] = []
    seen: set[str] = set()
    for i, entry in enumerate(defects):
        prefix = f"defects.{i}"
        kind = entry.get("kind")
        if kind not in DefectKind.values:
            raise invalid(f"{prefix}.kind", _("没有这种缺陷类型"), "invalid")
        if kind in seen:
            raise invalid(f"{prefix}.kind", _("同一缺陷类型只填一行"), "duplicate")
        seen.add(kind)
        count = _whole(entry.get("count"), f"{prefix}.count", low=1, high=MAX_LOT)
        strength = entry.get("lowest_strength_n")
        lowest = None
        if kind == DefectKind.LOOP_STRENGTH:
            if strength in (None, ""):
                raise invalid(
                    f"{prefix}.lowest_strength_n", _("请填写测得的最低拉力（N）"), "required"
                )
            lowest = _strength(strength, f"{prefix}.lowest_strength_n")
            if lowest >= product.loop_strength_min_n:
                raise invalid(
                    f"{prefix}.lowest_strength_n",
                    _("%(value)s N 不低于下限 %(minimum)s N，不是拉力不足")
                    % {"value": lowest, "minimum": product.loop_strength_min_n},
                    "not_below_minimum",
                )
        elif strength not in (None, ""):
            raise invalid(
                f"{prefix}.lowest_strength_n", _("只有耳带拉力不足需要填写拉力"), "invalid"
            )
        rows.append(Defect(kind=kind, count=count, lowest_strength_n=lowest))
    return rows


@transaction.atomic
def batch_inspect(
    *,
    actor: Any,
    batch: Batch,
    inspected: Any,
    defects: list[dict[str, Any]],
    note: str = "",
    at: dt.datetime | None = None,
) -> Inspection:
    """Record the sampling inspection: exactly the plan's sample inspected, the
    nonconforming units by kind (a unit is counted under its worst defect, so the rows add
    up to the nonconforming units and never exceed the sample). Ac or fewer accepts the
    batch, Re or more rejects it."""
    ensure_visible(batch, actor, field="batch")
    batch = Batch.objects.select_for_update().select_related("product__unit__area").get(pk=batch.pk)
    if batch.status != BatchStatus.REGISTERED:
        raise Conflict("batch", _("该批次已检验"), code="already_inspected")
    count = _whole(inspected, "inspected", low=1, high=MAX_LOT)
    if count != batch.sample_size:
        raise invalid(
            "inspected",
            _("按抽样方案应检验 %(n)s 件") % {"n": batch.sample_size},
            "not_sample_size",
        )
    rows = _defects(batch.product, list(defects or []))
    nonconforming = sum(row.count for row in rows)
    if nonconforming > count:
        raise invalid("defects", _("不合格品数不能超过检验数量"), "exceeds_sample")
    decision = Decision.ACCEPT if nonconforming <= batch.accept else Decision.REJECT
    inspection = Inspection.objects.create(
        batch=batch,
        inspected=count,
        nonconforming=nonconforming,
        decision=decision,
        note=_text(note, "note", 200, required=False),
        by=actor,
        at=at or timezone.now(),
    )
    for row in rows:
        row.inspection = inspection
    Defect.objects.bulk_create(rows)
    batch.status = BatchStatus.ACCEPTED if decision == Decision.ACCEPT else BatchStatus.REJECTED
    batch.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=batch,
        area=batch.product.unit.area,
        detail=f"inspected {count}, nonconforming {nonconforming}: {decision}",
    )
    figures_touched.send(
        sender=Inspection,
        areas=[batch.product.unit.area_id],
        on=timezone.localdate(inspection.at),
    )
    return inspection


@transaction.atomic
def batch_pack(*, actor: Any, batch: Batch, counted: Any, per_box: Any) -> Batch:
    """Count, seal and box an accepted batch (清点、塑封、装箱): the count is at most the lot,
    the boxes follow from the count and the box size."""
    ensure_visible(batch, actor, field="batch")
    batch = Batch.objects.select_for_update().select_related("product__unit__area").get(pk=batch.pk)
    if batch.status != BatchStatus.ACCEPTED:
        raise Conflict(
            "batch",
            _("只有抽检合格的批次才能清点装箱（现为：%(status)s）")
            % {"status": batch.get_status_display()},
            code="not_accepted",
        )
    number = _whole(counted, "counted", low=1, high=batch.lot_size)
    size = _whole(per_box, "per_box", low=1, high=MAX_PER_BOX)
    batch.counted = number
    batch.per_box = size
    batch.boxes = math.ceil(number / size)
    batch.packed_at = timezone.now()
    batch.packed_by = actor
    batch.status = BatchStatus.PACKED
    batch.save(update_fields=["counted", "per_box", "boxes", "packed_at", "packed_by", "status"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=batch,
        area=batch.product.unit.area,
        detail=f"packed {number} in {batch.boxes} boxes",
    )
    return batch
