"""Patrol and disinfection rounds (巡逻检查、消杀作业): the places of an area, a plan per place
and kind of round (how often, which agent), and the records of rounds done. Whether a round
is due or overdue is computed from the last record and the plan's interval, never stored:
recording the round is what makes it disappear from the overdue list."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class PlaceKind(models.TextChoices):
    LIFT = "lift", _("电梯")
    STAIRWELL = "stairwell", _("楼道 / 楼梯间")
    ENTRANCE = "entrance", _("楼门 / 单元门")
    RUBBISH = "rubbish", _("垃圾站 / 垃圾桶站")
    GARAGE = "garage", _("地下车库")
    BASEMENT = "basement", _("地下室")
    TOILET = "toilet", _("公共卫生间")
    MEETING_ROOM = "meeting_room", _("会议室")
    CANTEEN = "canteen", _("食堂")
    DORMITORY = "dormitory", _("宿舍")
    OTHER = "other", _("其他")


class RoundKind(models.TextChoices):
    PATROL = "patrol", _("巡逻检查")
    DISINFECTION = "disinfection", _("消杀作业")


class Agent(models.TextChoices):
    CHLORINE = "chlorine", _("含氯消毒剂")
    ALCOHOL = "alcohol", _("75% 酒精")
    PERACETIC = "peracetic", _("过氧乙酸")
    PEROXIDE = "peroxide", _("过氧化氢")
    QUATERNARY = "quaternary", _("季铵盐类消毒剂")
    UV = "uv", _("紫外线灯照射")
    OTHER = "other", _("其他")


class Place(models.Model):
    """A place rounds go to: a lift of 3号楼, the rubbish station by 7号楼, a canteen."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="round_places", verbose_name=_("所在社区/片区")
    )
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="round_places",
        verbose_name=_("所属单位"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=PlaceKind.choices)
    building = models.CharField(_("楼栋/院"), max_length=40, blank=True)
    name = models.CharField(_("名称"), max_length=60)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查消杀点位")
        verbose_name_plural = _("巡查消杀点位")
        ordering = ["area__path", "building", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "building", "name"], name="round_place_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.name}".strip()


class Plan(models.Model):
    """How often a place gets a round of one kind: every N hours, or N times a day (one of
    the two); for disinfection, which agent at what concentration; from a day, until one."""

    scope_field: ClassVar[str] = "place__area"

    place = models.ForeignKey(Place, models.PROTECT, related_name="plans", verbose_name=_("点位"))
    kind = models.CharField(_("类型"), max_length=20, choices=RoundKind.choices)
    every_hours = models.PositiveSmallIntegerField(_("每隔几小时"), null=True, blank=True)
    times_a_day = models.PositiveSmallIntegerField(_("每天几次"), null=True, blank=True)
    agent = models.CharField(_("消毒剂"), max_length=20, choices=Agent.choices, blank=True)
    concentration = models.CharField(_("浓度"), max_length=40, blank=True)
    active_from = models.DateField(_("开始日期"))
    active_until = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查消杀计划")
        verbose_name_plural = _("巡查消杀计划")
        ordering = ["place__building", "place__name", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(every_hours__isnull=False, times_a_day__isnull=True))
                | Q(every_hours__isnull=True, times_a_day__isnull=False),
                name="round_plan_one_frequency",
            ),
            models.CheckConstraint(
                condition=Q(every_hours__isnull=True) | Q(every_hours__gte=1, every_hours__lte=168),
                name="round_plan_every_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(times_a_day__isnull=True) | Q(times_a_day__gte=1, times_a_day__lte=24),
                name="round_plan_times_a_day_range",
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="round_plan_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.get_kind_display()}"

    @property
    def interval(self) -> dt.timedelta:
        """The time a round stays good for: N hours, or a day shared by N rounds."""
        if self.every_hours:
            return dt.timedelta(hours=self.every_hours)
        return dt.timedelta(days=1) / (self.times_a_day or 1)

    @property
    def per_day(self) -> int:
        """Rounds planned in a whole day."""
        if self.every_hours:
            return max(1, 24 // self.every_hours)
        return self.times_a_day or 1

    def active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)


class Record(models.Model):
    """A round done: who (an account, or a registered person such as a volunteer without
    one), when, what was done, the agent and concentration used, a note."""

    scope_field: ClassVar[str] = "plan__place__area"

    plan = models.ForeignKey(Plan, models.PROTECT, related_name="records", verbose_name=_("计划"))
    done_at = models.DateTimeField(_("完成时间"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("完成人"),
    )
    person = models.ForeignKey(
        "registry.Person",
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("完成人（登记人员）"),
    )
    what = models.CharField(_("做了什么"), max_length=200, blank=True)
    agent = models.CharField(_("消毒剂"), max_length=20, choices=Agent.choices, blank=True)
    concentration = models.CharField(_("浓度"), max_length=40, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查消杀记录")
        verbose_name_plural = _("巡查消杀记录")
        ordering = ["-done_at"]
        indexes = [
            models.Index(fields=["plan", "done_at"], name="round_record_plan_at"),
            models.Index(fields=["done_at"], name="round_record_at"),  # a day's figures
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.done_at:%Y-%m-%d %H:%M}"
