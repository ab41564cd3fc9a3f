"""Demo production quality: a mask line resuming production (the seed's 依文集团 story:
"清点、抽检、塑封等工序后装箱"; checks of ear-loop symmetry and strength and the nose clip's
position) at a demo industrial park in 花乡 — one batch packed, one accepted waiting to be
boxed, one rejected for weak and asymmetric ear loops, today's batch waiting for its
sample. Idempotent: a product with batches gets nothing more."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.areas.models import Area
from fangkong.quality import services
from fangkong.quality.models import Batch, DefectKind, Product
from fangkong.units.models import UnitKind
from fangkong.units.services import unit_get_or_register

PARK = "110106201201"  # 花乡白盆窑村: the demo industrial park's village
FACTORY = "依文集团口罩生产车间（演示产业园）"
PRODUCT = "一次性使用医用口罩"

# code, days before today, lot size, defects found {kind: (count, lowest N)}, packed per box
BATCHES: list[tuple[str, int, int, dict[str, tuple[int, Decimal | None]] | None, int | None]] = [
    ("K0302-01", 3, 10000, {DefectKind.LOOP_ASYMMETRIC: (3, None),
                            DefectKind.NOSE_CLIP_OFF_CENTRE: (2, None)}, 50),
    ("K0303-01", 2, 12000, {DefectKind.NOSE_CLIP_OFF_CENTRE: (4, None)}, None),
    ("K0303-02", 2, 8000, {DefectKind.LOOP_STRENGTH: (9, Decimal("7.8")),
                           DefectKind.LOOP_ASYMMETRIC: (3, None)}, None),
    ("K0304-01", 0, 5000, None, None),
]  # fmt: skip


@transaction.atomic
def load_demo() -> str:
    area = Area.objects.filter(code=PARK).first()
    actor = User.objects.filter(username="admin").first()
    if area is None or actor is None:
        return "quality: skipped (no demo areas or admin account)"
    unit = unit_get_or_register(area=area, name=FACTORY, kind=UnitKind.ENTERPRISE)
    product = Product.objects.filter(unit=unit, name=PRODUCT).first()
    if product is None:
        product = services.product_create(
            actor=actor, unit=unit, name=PRODUCT, spec="17.5cm×9.5cm 挂耳式",
            loop_strength_min_n=Decimal("10"), aql="2.5", level="II",
        )  # fmt: skip
    if product.batches.exists():
        return f"quality: {product.batches.count()} batches (kept)"
    today = timezone.localdate()
    for code, days, lot, defects, per_box in BATCHES:
        batch = services.batch_register(
            actor=actor, product=product, code=code, lot_size=lot,
            produced_on=today - dt.timedelta(days=days),
        )  # fmt: skip
        if defects is not None:
            _inspect(actor, batch, defects)
        if per_box:
            services.batch_pack(actor=actor, batch=batch, counted=lot, per_box=per_box)
    return f"quality: {FACTORY}, {len(BATCHES)} batches"


def _inspect(actor: User, batch: Batch, defects: dict[str, tuple[int, Decimal | None]]) -> None:
    rows = [
        {"kind": kind, "count": count, "lowest_strength_n": lowest}
        for kind, (count, lowest) in defects.items()
    ]
    services.batch_inspect(actor=actor, batch=batch, inspected=batch.sample_size, defects=rows)
