"""Production quality (复工复产): a unit's products, their batches, each batch's sampling
plan (GB/T 2828.1, fixed when the batch is registered), its inspection with the defects
found by kind, the decision, and the count / seal / box of an accepted batch.

A batch moves registered → accepted or rejected (by its one inspection) → packed (only an
accepted one). The plan's numbers are stored with the batch: a later change of the
product's AQL or level does not rewrite a batch already sampled."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet
from fangkong.quality.sampling import aql_label


def aql_text(aql: Decimal) -> str:
    """An AQL as table 2-A prints it: 0.010, 0.65, 2.5, 10 (not 10.000)."""
    return aql_label(aql)


class Level(models.TextChoices):
    I = "I", _("一般检验水平 I")  # noqa: E741
    II = "II", _("一般检验水平 II")
    III = "III", _("一般检验水平 III")


class Product(models.Model):
    """What a unit's line makes (一次性使用医用口罩 …) and how its batches are sampled."""

    scope_field: ClassVar[str] = "unit__area"
    unit_scope: ClassVar[str] = "unit"

    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="products", verbose_name=_("生产单位")
    )
    name = models.CharField(_("产品名称"), max_length=60)
    spec = models.CharField(_("规格"), max_length=60, blank=True, default="")
    loop_strength_min_n = models.DecimalField(
        _("耳带拉力下限（N）"), max_digits=5, decimal_places=1, default=Decimal("10.0")
    )
    aql = models.DecimalField(_("接收质量限 AQL"), max_digits=7, decimal_places=3)
    level = models.CharField(_("检验水平"), max_length=3, choices=Level.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("产品")
        verbose_name_plural = _("产品")
        ordering = ["unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="quality_product_once"),
            models.CheckConstraint(
                condition=models.Q(loop_strength_min_n__gt=0), name="quality_strength_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.spec}".strip()

    @property
    def aql_text(self) -> str:
        return aql_text(self.aql)


class BatchStatus(models.TextChoices):
    REGISTERED = "registered", _("待抽检")
    ACCEPTED = "accepted", _("合格（接收）")
    REJECTED = "rejected", _("不合格（拒收）")
    PACKED = "packed", _("已清点塑封装箱")


class Batch(models.Model):
    """One lot (批) of a product and the sampling plan it gets."""

    scope_field: ClassVar[str] = "product__unit__area"
    unit_scope: ClassVar[str] = "product__unit"

    product = models.ForeignKey(
        Product, models.PROTECT, related_name="batches", verbose_name=_("产品")
    )
    code = models.CharField(_("批号"), max_length=40)
    lot_size = models.PositiveIntegerField(_("批量"))
    produced_on = models.DateField(_("生产日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.REGISTERED
    )
    # The plan, fixed at registration (sampling.sampling_plan).
    aql = models.DecimalField(_("AQL"), max_digits=7, decimal_places=3)
    level = models.CharField(_("检验水平"), max_length=3, choices=Level.choices)
    lot_code_letter = models.CharField(_("样本量字码"), max_length=1)
    code_letter = models.CharField(_("所用方案字码"), max_length=1)
    sample_size = models.PositiveIntegerField(_("样本量"))
    accept = models.PositiveIntegerField(_("接收数 Ac"))
    reject = models.PositiveIntegerField(_("拒收数 Re"))
    # Count / seal / box (清点、塑封、装箱), once accepted.
    counted = models.PositiveIntegerField(_("清点数量"), null=True, blank=True)
    per_box = models.PositiveIntegerField(_("每箱数量"), null=True, blank=True)
    boxes = models.PositiveIntegerField(_("箱数"), null=True, blank=True)
    packed_at = models.DateTimeField(_("装箱时间"), null=True, blank=True)
    packed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("批次")
        verbose_name_plural = _("批次")
        ordering = ["-produced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="quality_batch_once"),
            models.CheckConstraint(condition=models.Q(lot_size__gte=2), name="quality_lot_min"),
            models.CheckConstraint(
                condition=models.Q(reject=models.F("accept") + 1), name="quality_re_is_ac_plus_1"
            ),
            models.CheckConstraint(
                condition=models.Q(sample_size__lte=models.F("lot_size")),
                name="quality_sample_within_lot",
            ),
        ]
        indexes = [models.Index(fields=["status", "produced_on"], name="quality_batch_status")]

    def __str__(self) -> str:
        return f"{self.product.name} {self.code}"

    @property
    def full_inspection(self) -> bool:
        return self.sample_size == self.lot_size

    @property
    def aql_text(self) -> str:
        return aql_text(self.aql)


class DefectKind(models.TextChoices):
    LOOP_STRENGTH = "loop_strength", _("耳带拉力不足")
    LOOP_ASYMMETRIC = "loop_asymmetric", _("耳带不对称")
    NOSE_CLIP_OFF_CENTRE = "nose_clip", _("鼻梁条不居中")
    LOOP_DETACHED = "loop_detached", _("耳带脱落")
    STAIN_OR_HOLE = "stain", _("污渍、破损")
    OTHER = "other", _("其他")


class Decision(models.TextChoices):
    ACCEPT = "accept", _("接收")
    REJECT = "reject", _("拒收")


class Inspection(models.Model):
    """The sampling inspection of a batch (one per batch): how many were inspected, the
    nonconforming units found (by kind) and the decision the plan gives."""

    scope_field: ClassVar[str] = "batch__product__unit__area"
    unit_scope: ClassVar[str] = "batch__product__unit"

    batch = models.OneToOneField(Batch, models.PROTECT, related_name="inspection")
    inspected = models.PositiveIntegerField(_("检验数量"))
    nonconforming = models.PositiveIntegerField(_("不合格品数"))
    decision = models.CharField(_("结论"), max_length=8, choices=Decision.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("检验时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽样检验")
        verbose_name_plural = _("抽样检验")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nonconforming__lte=models.F("inspected")),
                name="quality_nonconforming_within_sample",
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.nonconforming}/{self.inspected} {self.decision}"


class Defect(models.Model):
    """Nonconforming units of one kind in an inspection; for weak ear loops, the lowest
    strength measured (N), which is below the product's minimum."""

    scope_field: ClassVar[str] = "inspection__batch__product__unit__area"
    unit_scope: ClassVar[str] = "inspection__batch__product__unit"

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="defects")
    kind = models.CharField(_("缺陷类型"), max_length=16, choices=DefectKind.choices)
    count = models.PositiveIntegerField(_("件数"))
    lowest_strength_n = models.DecimalField(
        _("最低拉力（N）"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("缺陷")
        verbose_name_plural = _("缺陷")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "kind"], name="quality_defect_once"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="quality_defect_count"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} × {self.count}"
