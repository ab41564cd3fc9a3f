"""Scoped reads of production quality."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from fangkong.quality.models import Batch, BatchStatus, Product
from fangkong.units.models import Unit


def products_visible(user: Any) -> QuerySet[Product]:
    return Product.objects.visible_to(user).select_related("unit__area")


def batches_visible(user: Any, *, status: str | None = None) -> QuerySet[Batch]:
    qs = Batch.objects.visible_to(user).select_related("product__unit__area", "inspection")
    if status:
        qs = qs.filter(status=status)
    return qs


def batches_to_inspect(user: Any) -> QuerySet[Batch]:
    return batches_visible(user, status=BatchStatus.REGISTERED)


def batches_to_pack(user: Any) -> QuerySet[Batch]:
    return batches_visible(user, status=BatchStatus.ACCEPTED)


def batch_detail(batch: Batch) -> dict[str, Any]:
    inspection = getattr(batch, "inspection", None)
    return {
        "batch": batch,
        "inspection": inspection,
        "defects": list(inspection.defects.all()) if inspection else [],
    }


def units_for_products(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).select_related("area").order_by("name")


def inspected_on(user: Any, day: dt.date) -> QuerySet[Batch]:
    return batches_visible(user).filter(inspection__at__date=day)
