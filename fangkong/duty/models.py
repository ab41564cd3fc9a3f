"""Duty posts (值守点): where people stand watch, usually at a gate, and how many each
shift needs. Shifts, rosters and attendance build on them."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class Post(models.Model):
    """A post of an area (社区 / 村 / 片区), at a gate or not (a patrol post)."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="duty_posts", verbose_name=_("所在社区/片区")
    )
    gate = models.ForeignKey(
        "access.Gate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_posts",
        verbose_name=_("所在门岗"),
    )
    name = models.CharField(_("名称"), max_length=60)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值守点")
        verbose_name_plural = _("值守点")
        ordering = ["area__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="duty_post_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Shift(models.Model):
    """One shift of a post's pattern (3 × 8 h: 08–16, 16–24, 00–08; or 2 × 12 h …) and how
    many people it needs.

    Shift *instances* are not stored: the instance of a shift on a day is computed from the
    pattern (`bounds(day)`), because a pattern applies to every day alike and storing
    2,000 posts × 3 shifts × 365 days of identical rows would only have to be kept in step
    with the pattern. A roster line (`Assignment`) names (shift, day), and that pair *is*
    the instance. A shift belongs to the day it starts: 00–08 of the 5th starts on the 5th;
    22–06 of the 5th ends on the 6th but counts on the 5th. Times are Asia/Shanghai."""

    scope_field: ClassVar[str] = "post__area"

    post = models.ForeignKey(Post, models.CASCADE, related_name="shifts", verbose_name=_("值守点"))
    name = models.CharField(_("班次"), max_length=20)
    starts = models.TimeField(_("开始时间"))
    hours = models.PositiveSmallIntegerField(_("时长（小时）"))
    needed = models.PositiveSmallIntegerField(_("需要人数"), default=1)
    # A shift dropped from the pattern after people served in it stays, retired, for the
    # hours already worked; only active shifts are planned and counted.
    active = models.BooleanField(_("启用"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["post_id", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["post", "starts"], name="duty_shift_unique_start"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=1, hours__lte=24), name="duty_shift_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} {self.name}"

    def bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """Start and end of this shift's instance on `day` (the day it starts)."""
        start = dt.datetime.combine(day, self.starts, tzinfo=ZoneInfo(settings.TIME_ZONE))
        return start, start + dt.timedelta(hours=self.hours)

    @property
    def label(self) -> str:
        end = (
            dt.datetime.combine(dt.date(2000, 1, 1), self.starts) + dt.timedelta(hours=self.hours)
        ).time()
        return f"{self.starts:%H:%M}–{'24:00' if end == dt.time(0) else f'{end:%H:%M}'}"


class DutyRole(models.TextChoices):
    WORKER = "worker", _("社区工作者")
    CADRE = "cadre", _("下沉干部")
    GUARD = "guard", _("保安")
    VOLUNTEER = "volunteer", _("志愿者")


class DutyPerson(models.Model):
    """A registered person who may be rostered: their role on duty, and the unit that lent
    them (volunteers and guards sent by 抗战纪念馆, 中国盲文出版社 …); an account if any."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="duty_people", verbose_name=_("值守社区")
    )
    person = models.ForeignKey(
        "registry.Person", models.PROTECT, related_name="duty", verbose_name=_("人员")
    )
    role = models.CharField(_("值守身份"), max_length=16, choices=DutyRole.choices)
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="duty_people",
        verbose_name=_("派出单位"),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(_("在岗"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值守人员")
        verbose_name_plural = _("值守人员")
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "person"], name="duty_person_unique")
        ]

    def __str__(self) -> str:
        return self.person.name


class Assignment(models.Model):
    """One person on one shift instance (shift, day). `starts_at`/`ends_at` copy the
    instance's bounds when planned, so that overlaps and rest are one indexed query."""

    scope_field: ClassVar[str] = "shift__post__area"

    shift = models.ForeignKey(Shift, models.CASCADE, related_name="assignments")
    day = models.DateField(_("日期"))
    person = models.ForeignKey(DutyPerson, models.PROTECT, related_name="assignments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["starts_at", "shift_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "day", "person"], name="duty_assignment_unique"
            )
        ]
        indexes = [
            models.Index(fields=["shift", "day"], name="duty_assignment_shift_day"),
            models.Index(fields=["person", "starts_at"], name="duty_assignment_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.shift} {self.day}"


class ShiftDay(models.Model):
    """How many are on the roster of one shift instance (shift, day) and how many signed
    in there: what the coverage reads instead of counting a district's 84,000 roster lines
    at every request. Derived, kept by the services that write the lines and sign-ins
    (an atomic increment in the same transaction); `services.shift_days_rebuild` recounts
    from the records."""

    shift = models.ForeignKey(Shift, models.CASCADE, related_name="+")
    day = models.DateField()
    rostered = models.PositiveIntegerField(default=0)
    signed_in = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "day"], name="duty_shiftday_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shift_id} {self.day}: {self.rostered}/{self.signed_in}"


class Attendance(models.Model):
    """A sign-in (and later sign-out) at a post. `assignment` is null when the person
    signed in without being rostered (unplanned); `late` when more than 15 minutes after
    the shift's start. A rostered shift with no sign-in 30 minutes after its start is
    missing (computed, not stored)."""

    scope_field: ClassVar[str] = "post__area"

    post = models.ForeignKey(Post, models.PROTECT, related_name="attendances")
    shift = models.ForeignKey(Shift, models.PROTECT, related_name="attendances")
    day = models.DateField(_("日期"))
    person = models.ForeignKey(DutyPerson, models.PROTECT, related_name="attendances")
    assignment = models.OneToOneField(
        Assignment, models.SET_NULL, null=True, blank=True, related_name="attendance"
    )
    signed_in_at = models.DateTimeField(_("签到时间"))
    signed_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    late = models.BooleanField(_("迟到"), default=False)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("签到")
        verbose_name_plural = _("签到")
        ordering = ["-signed_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "day", "person"], name="duty_attendance_unique"
            )
        ]
        indexes = [models.Index(fields=["shift", "day"], name="duty_attendance_shift_day")]

    def __str__(self) -> str:
        return f"{self.person} {self.signed_in_at}"

    @property
    def unplanned(self) -> bool:
        return self.assignment_id is None

    @property
    def hours(self) -> float:
        if self.signed_out_at is None:
            return 0.0
        return round((self.signed_out_at - self.signed_in_at).total_seconds() / 3600, 2)
