"""Sent-down cadres (下沉干部) and their dispatching organs (派出单位): who is posted where
and when (deployments), the daily health check and sign-in at the community, accident
insurance and training.

A cadre's `area` is the community / village of the current deployment (kept by the
services with each deployment), so scoping works as everywhere. A health check with a
fever or a symptom makes the cadre unfit for that day: the sign-in is refused."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class OrganKind(models.TextChoices):
    ORGAN = "organ", _("市级机关")
    ENTERPRISE = "enterprise", _("市属国有企业")
    INSTITUTION = "institution", _("事业单位")


class Organ(models.Model):
    """A dispatching organ: a city organ, institution or state enterprise."""

    name = models.CharField(_("派出单位"), max_length=60, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=OrganKind.choices)
    # How many cadres the organ sends (entered by the district): the allocation's input.
    sends = models.PositiveIntegerField(_("选派人数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("派出单位")
        verbose_name_plural = _("派出单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cadre(models.Model):
    scope_field: ClassVar[str] = "area"

    organ = models.ForeignKey(
        Organ, models.PROTECT, related_name="cadres", verbose_name=_("派出单位")
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone_cipher = models.BinaryField(null=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True, default="")
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name=_("账号"),
    )
    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cadres",
        verbose_name=_("下沉社区（村）"),
    )
    distance_km = models.DecimalField(
        _("住处到岗位距离（公里）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    active = models.BooleanField(_("在岗"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("下沉干部")
        verbose_name_plural = _("下沉干部")
        ordering = ["organ__name", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Deployment(models.Model):
    """A period at one community / village; the open one (no `ends_on`) is the current."""

    scope_field: ClassVar[str] = "area"

    cadre = models.ForeignKey(Cadre, models.PROTECT, related_name="deployments")
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("社区（村）")
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("下沉安排")
        verbose_name_plural = _("下沉安排")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"],
                condition=models.Q(ends_on__isnull=True),
                name="cadres_one_open_deployment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} @ {self.area_id} {self.starts_on}"


class HealthCheck(models.Model):
    """The cadre's daily health check (one a day): unfit with a fever or a symptom."""

    scope_field: ClassVar[str] = "area"

    cadre = models.ForeignKey(Cadre, models.PROTECT, related_name="health_checks")
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    temperature = models.DecimalField(_("体温（°C）"), max_digits=3, decimal_places=1)
    symptoms = models.BooleanField(_("有症状"), default=False)
    fit = models.BooleanField(_("可以上岗"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("健康监测")
        verbose_name_plural = _("健康监测")
        constraints = [
            models.UniqueConstraint(fields=["cadre", "on"], name="cadres_health_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.on} {self.temperature}"


class SignIn(models.Model):
    """Signed in at the community on a day (one a day)."""

    scope_field: ClassVar[str] = "area"

    cadre = models.ForeignKey(Cadre, models.PROTECT, related_name="sign_ins")
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("签到时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["-on", "-at"]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "on"], name="cadres_sign_in_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.on}"


class Insurance(models.Model):
    """Accident insurance (人身意外保险) of a cadre."""

    scope_field: ClassVar[str] = "cadre__area"

    cadre = models.ForeignKey(Cadre, models.PROTECT, related_name="insurances")
    insurer = models.CharField(_("保险公司"), max_length=60)
    policy_number = models.CharField(_("保单号"), max_length=40)
    starts_on = models.DateField(_("起保日期"))
    ends_on = models.DateField(_("终止日期"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("意外保险")
        verbose_name_plural = _("意外保险")
        ordering = ["-ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cadres_insurance_dates",
            )
        ]

    def __str__(self) -> str:
        return self.policy_number

    def covers(self, on: dt.date) -> bool:
        return self.starts_on <= on <= self.ends_on


class Training(models.Model):
    scope_field: ClassVar[str] = "cadre__area"

    cadre = models.ForeignKey(Cadre, models.PROTECT, related_name="trainings")
    title = models.CharField(_("培训内容"), max_length=100)
    on = models.DateField(_("培训日期"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-on"]

    def __str__(self) -> str:
        return self.title


class Allocation(models.Model):
    """A confirmed line of the allocation: `number` cadres of `organ` to `area` (a
    community / village). The lines confirmed for a scope replace its earlier ones."""

    scope_field: ClassVar[str] = "area"

    organ = models.ForeignKey(Organ, models.PROTECT, related_name="allocations")
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("人数"))
    score = models.DecimalField(_("优先分"), max_digits=8, decimal_places=3, default=0)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("下沉分配")
        verbose_name_plural = _("下沉分配")
        ordering = ["area__path", "organ__name"]
        constraints = [
            models.UniqueConstraint(fields=["organ", "area"], name="cadres_allocation_once")
        ]

    def __str__(self) -> str:
        return f"{self.organ_id} → {self.area_id}: {self.number}"
