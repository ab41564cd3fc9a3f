"""Screening rounds (摸排): a door-to-door pass over an area, its visits to households and
what each visit found about each person."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet
from fangkong.registry.models.people import Address, Person

__all__ = ["FindingStatus", "ScreeningRound", "ScreeningVisit", "VisitFinding"]


class ScreeningRound(models.Model):
    """One door-to-door pass over an area (摸排轮次)."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="screening_rounds", verbose_name=_("区域")
    )
    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("摸排轮次")
        verbose_name_plural = _("摸排轮次")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="round_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ScreeningVisit(models.Model):
    """A visit to one household in a round: who is there, who is not back, conditions."""

    scope_field: ClassVar[str] = "address__area"

    round = models.ForeignKey(ScreeningRound, models.PROTECT, related_name="visits")
    address = models.ForeignKey(Address, models.PROTECT, related_name="visits")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    visited_on = models.DateField(_("走访日期"))
    observation_notes = models.CharField(_("居家观察条件"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "address"], name="visit_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.address}"


class FindingStatus(models.TextChoices):
    PRESENT = "present", _("在家")
    NOT_BACK = "not_back", _("未返京")
    MOVED_OUT = "moved_out", _("已搬离")


class VisitFinding(models.Model):
    scope_field: ClassVar[str] = "visit__address__area"

    visit = models.ForeignKey(ScreeningVisit, models.CASCADE, related_name="findings")
    person = models.ForeignKey(Person, models.PROTECT, related_name="findings")
    status = models.CharField(_("情况"), max_length=16, choices=FindingStatus.choices)
    away_from = models.CharField(_("所在地"), max_length=100, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="finding_once_per_visit")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"
