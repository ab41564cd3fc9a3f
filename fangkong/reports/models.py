"""The day's figures, kept per area node and date so that any level reads them by summing
the rows of its subtree (a district sums a few thousand rows, not millions of records).

The rows are a rollup, not the truth: `fangkong.reports.services.build_day` derives them
from the dated records (registrations, notices, observations, reports, passes, gate checks)
and replaces a day's rows in one transaction. A day built after it ended is final: it keeps
what was true that day (who was not yet back, which passes held) even when the records
change later. A day never built (a missed night) is built from the records when first read.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class DailyFiguresQuerySet(ScopedQuerySet["DailyFigures"]):
    pass


class DailyFigures(models.Model):
    """The figures of the records attached to one area node (not its subtree) on one day.
    Field names are the figure keys of the API (fangkong.reports.figures.FIGURES)."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    people = models.PositiveIntegerField(default=0)
    not_back = models.PositiveIntegerField(default=0)
    notices = models.PositiveIntegerField(default=0)
    must_delay = models.PositiveIntegerField(default=0)
    observing_home = models.PositiveIntegerField(default=0)
    observing_unit = models.PositiveIntegerField(default=0)
    observing_site = models.PositiveIntegerField(default=0)
    started = models.PositiveIntegerField(default=0)
    released = models.PositiveIntegerField(default=0)
    fevers = models.PositiveIntegerField(default=0)
    missed_reports = models.PositiveIntegerField(default=0)
    calls_open = models.PositiveIntegerField(default=0)
    passes_active = models.PositiveIntegerField(default=0)
    passes_suspended = models.PositiveIntegerField(default=0)
    checks = models.PositiveIntegerField(default=0)
    denials = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    rounds_done = models.PositiveIntegerField(default=0)
    rounds_planned = models.PositiveIntegerField(default=0)
    rounds_overdue = models.PositiveIntegerField(default=0)
    supplies_low = models.PositiveIntegerField(default=0)
    supplies_handouts = models.PositiveIntegerField(default=0)
    # duty (fangkong.duty.figures)
    duty_shifts_needed = models.PositiveIntegerField(default=0)
    duty_shifts_covered = models.PositiveIntegerField(default=0)
    duty_gaps_24h = models.PositiveIntegerField(default=0)
    duty_sign_ins = models.PositiveIntegerField(default=0)
    duty_late = models.PositiveIntegerField(default=0)
    duty_missing = models.PositiveIntegerField(default=0)
    # party (fangkong.party.figures): the amount in whole fen, exact
    party_donors = models.PositiveIntegerField(default=0)
    party_donation_fen = models.BigIntegerField(default=0)
    # care (fangkong.care.figures)
    care_calls = models.PositiveIntegerField(default=0)
    care_requests = models.PositiveIntegerField(default=0)
    care_done = models.PositiveIntegerField(default=0)
    care_overdue = models.PositiveIntegerField(default=0)
    # cadres (fangkong.cadres.figures)
    cadres_on_duty = models.PositiveIntegerField(default=0)
    cadres_signed_in = models.PositiveIntegerField(default=0)
    cadres_unwell = models.PositiveIntegerField(default=0)
    # units' duty (fangkong.unitduty.figures) and production quality (fangkong.quality)
    units_reporting = models.PositiveIntegerField(default=0)
    units_expected = models.PositiveIntegerField(default=0)
    units_onsite_breaches = models.PositiveIntegerField(default=0)
    units_sick_absences = models.PositiveIntegerField(default=0)
    units_findings_open = models.PositiveIntegerField(default=0)
    units_findings_overdue = models.PositiveIntegerField(default=0)
    quality_accepted = models.PositiveIntegerField(default=0)
    quality_rejected = models.PositiveIntegerField(default=0)
    # {"fever": 3, "no_pass": 12, …}: a denial may carry several reasons.
    denials_by_reason = models.JSONField(default=dict)
    # Histograms {minutes: n} read by median figures (core.figures.Figure.median_of):
    # care's requests done that day by whole minutes from raised to done.
    care_done_minutes = models.JSONField(default=dict)

    objects = DailyFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("每日数据")
        verbose_name_plural = _("每日数据")
        constraints = [
            models.UniqueConstraint(fields=["on", "area"], name="daily_figures_once_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.on}"


class DayBuild(models.Model):
    """When a day's rows were last built. `final` once built after the day ended.
    `refreshed_at`: when the areas changed since were last recounted (FiguresChange)."""

    on = models.DateField(unique=True)
    built_at = models.DateTimeField()
    refreshed_at = models.DateTimeField(null=True, blank=True)
    final = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)
    areas = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("每日数据生成记录")
        verbose_name_plural = _("每日数据生成记录")

    def __str__(self) -> str:
        return f"{self.on} ({'final' if self.final else 'provisional'})"


class FiguresChange(models.Model):
    """A committed change to today's records of one area (written in the same transaction
    as the change, by reports.receivers). Reading today's figures recounts these areas
    first, so every level reads every committed change and agrees with its children."""

    area_id = models.BigIntegerField()  # no constraint: a row per write, deleted when read
    on = models.DateField()

    class Meta:
        verbose_name = _("数据变动")
        verbose_name_plural = _("数据变动")
        indexes = [models.Index(fields=["on", "id"], name="figures_change_day")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.on}"
