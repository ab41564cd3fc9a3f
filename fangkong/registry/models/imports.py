"""Spreadsheet imports (摸排表导入): one job per uploaded workbook, from upload through
validation and the worker's confirmation to an all-or-nothing import."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet

__all__ = ["ImportJob", "ImportStatus"]


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    VALIDATING = "validating", _("校验中")
    VALIDATED = "validated", _("已校验")
    IMPORTING = "importing", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


class ImportJob(models.Model):
    """One uploaded sheet. The file, the cleaned rows and the error report live under
    VAR_DIR/imports; the preview holds masked values only."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="import_jobs", verbose_name=_("导入区域")
    )
    # Empty for the command line (`fangkong import-people` without --user).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    file_path = models.CharField(max_length=500, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    message = models.CharField(_("说明"), max_length=500, blank=True)
    partial = models.BooleanField(_("只导入无误的行"), default=False)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    valid_rows = models.PositiveIntegerField(_("无误行数"), default=0)
    error_rows = models.PositiveIntegerField(_("有误行数"), default=0)
    skipped_rows = models.PositiveIntegerField(_("跳过的空行"), default=0)
    # The worksheet read ("" until read: the first visible one) and every worksheet of the
    # workbook, [{"name", "visible"}], so that the preview can offer another.
    sheet_name = models.CharField(_("工作表"), max_length=100, blank=True)
    sheets = models.JSONField(default=list, blank=True)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增人员"), default=0)
    updated_count = models.PositiveIntegerField(_("更新人员"), default=0)
    spool_path = models.CharField(max_length=500, blank=True)
    error_report_path = models.CharField(max_length=500, blank=True)
    # The first rows as the worker will see them before confirming: masked values only.
    preview = models.JSONField(default=list, blank=True)
    # The first refused rows with their reasons, for the page (the full list is the report).
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_rows__lte=models.F("total_rows"))
                & models.Q(error_rows__lte=models.F("total_rows")),
                name="import_counts_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED}

    @property
    def is_running(self) -> bool:
        return self.status in {ImportStatus.VALIDATING, ImportStatus.IMPORTING}

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.VALIDATED and self.valid_rows > 0

    @property
    def progress_total(self) -> int:
        if self.status == ImportStatus.IMPORTING:
            return self.valid_rows if self.partial else self.total_rows
        return self.total_rows

    @property
    def percent(self) -> int:
        """For the progress bar; a finished job shows a full bar."""
        if self.status in {ImportStatus.VALIDATED, ImportStatus.DONE}:
            return 100
        total = self.progress_total
        return min(100, int(self.processed_rows * 100 / total)) if total else 0
