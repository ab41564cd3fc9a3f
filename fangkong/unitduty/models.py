"""Units' own duty (单位主体责任): the daily unit report (staff expected / on site / at
home, temperatures checked, key-group staff and their checks) with its sick absences
(因病缺勤), dormitories and their rooms, and findings to put right (排查整改) with a
deadline and the person responsible.

A breach found by a check (the on-site rate above the policy's limit, a dormitory room
over the limits) becomes a finding; a finding is open until closed, overdue when its
deadline has passed while open."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class UnitReport(models.Model):
    """One unit's report for one day, filed by its contact on a phone or by a worker."""

    scope_field: ClassVar[str] = "unit__area"
    unit_scope: ClassVar[str] = "unit"

    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="daily_reports", verbose_name=_("单位")
    )
    day = models.DateField(_("日期"))
    staff_expected = models.PositiveIntegerField(_("应到岗人数"))
    staff_on_site = models.PositiveIntegerField(_("在岗人数"))
    staff_home = models.PositiveIntegerField(_("居家办公人数"))
    temperatures_checked = models.PositiveIntegerField(_("已测体温人数"))
    key_group_staff = models.PositiveIntegerField(_("重点群体人数"), default=0)
    key_group_checked = models.PositiveIntegerField(_("重点群体已检查人数"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位日报")
        verbose_name_plural = _("单位日报")
        ordering = ["-day", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="unitduty_report_once"),
            models.CheckConstraint(
                condition=models.Q(
                    staff_on_site__lte=models.F("staff_expected") - models.F("staff_home")
                ),
                name="unitduty_staff_add_up",
            ),
            models.CheckConstraint(
                condition=models.Q(temperatures_checked__lte=models.F("staff_on_site")),
                name="unitduty_temperatures_on_site",
            ),
            models.CheckConstraint(
                condition=models.Q(key_group_checked__lte=models.F("key_group_staff")),
                name="unitduty_key_group_checked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"

    @property
    def onsite_rate(self) -> Decimal | None:
        if not self.staff_expected:
            return None
        return Decimal(self.staff_on_site) / Decimal(self.staff_expected)


class SickAbsence(models.Model):
    """One person off sick (因病缺勤): who, symptoms, since when, the temperature; with a
    fever and a registered person, the alert raised for the area's medical staff."""

    scope_field: ClassVar[str] = "report__unit__area"
    unit_scope: ClassVar[str] = "report__unit"

    report = models.ForeignKey(UnitReport, models.CASCADE, related_name="sick_absences")
    name = models.CharField(_("姓名"), max_length=50)
    person = models.ForeignKey(
        "registry.Person", models.PROTECT, null=True, blank=True, related_name="+"
    )
    symptoms = models.CharField(_("症状"), max_length=100, blank=True, default="")
    since = models.DateField(_("缺勤起始日"))
    temperature = models.DecimalField(
        _("体温（℃）"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    fever = models.BooleanField(_("发热"), default=False)
    alert = models.OneToOneField(
        "arrivals.Alert", models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("因病缺勤")
        verbose_name_plural = _("因病缺勤")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.name[:1]}*"

    @property
    def masked_name(self) -> str:
        return (self.name[:1] + "*" * (len(self.name) - 1)) if self.name else ""


class FindingSource(models.TextChoices):
    ONSITE_RATE = "onsite_rate", _("在岗率超限")
    DORMITORY = "dormitory", _("宿舍不达标")
    INSPECTION = "inspection", _("检查发现")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    CLOSED = "closed", _("已整改")


class Finding(models.Model):
    """Something a unit must put right (整改), by a deadline, with the person responsible."""

    scope_field: ClassVar[str] = "unit__area"
    unit_scope: ClassVar[str] = "unit"

    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="findings", verbose_name=_("单位")
    )
    source = models.CharField(_("来源"), max_length=12, choices=FindingSource.choices)
    description = models.CharField(_("问题"), max_length=300)
    deadline = models.DateField(_("整改期限"))
    responsible = models.CharField(_("责任人"), max_length=50)
    status = models.CharField(
        _("状态"), max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    report = models.OneToOneField(
        UnitReport, models.PROTECT, null=True, blank=True, related_name="finding"
    )
    room = models.ForeignKey(
        "unitduty.Room", models.PROTECT, null=True, blank=True, related_name="findings"
    )
    inspection = models.ForeignKey(
        "unitduty.Inspection", models.PROTECT, null=True, blank=True, related_name="findings"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.CharField(_("整改情况"), max_length=200, blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["status", "deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="unitduty_finding_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["room"],
                condition=models.Q(status="open"),
                name="unitduty_one_open_finding_per_room",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def overdue_on(self, day: object) -> bool:
        return self.status == FindingStatus.OPEN and self.deadline < day  # type: ignore[operator]


class Dormitory(models.Model):
    """A unit's dormitory (集体宿舍): its rooms are checked against the policy's limits."""

    scope_field: ClassVar[str] = "unit__area"
    unit_scope: ClassVar[str] = "unit"

    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="dormitories", verbose_name=_("单位")
    )
    name = models.CharField(_("宿舍"), max_length=60)
    address = models.CharField(_("地址"), max_length=200, blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("宿舍")
        verbose_name_plural = _("宿舍")
        ordering = ["unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unitduty_dormitory_once")
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    """One room: its floor area, the people living in it, bunk beds or not, underground
    (地下空间) or not."""

    scope_field: ClassVar[str] = "dormitory__unit__area"
    unit_scope: ClassVar[str] = "dormitory__unit"

    dormitory = models.ForeignKey(Dormitory, models.CASCADE, related_name="rooms")
    name = models.CharField(_("房间"), max_length=30)
    area_m2 = models.DecimalField(_("面积（㎡）"), max_digits=6, decimal_places=1)
    occupants = models.PositiveSmallIntegerField(_("居住人数"))
    bunk_beds = models.BooleanField(_("上下铺"), default=False)
    underground = models.BooleanField(_("地下空间"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("宿舍房间")
        verbose_name_plural = _("宿舍房间")
        ordering = ["dormitory", "name"]
        constraints = [
            models.UniqueConstraint(fields=["dormitory", "name"], name="unitduty_room_once"),
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="unitduty_room_area"),
        ]

    def __str__(self) -> str:
        return f"{self.dormitory.name} {self.name}"


class Agency(models.TextChoices):
    STREET = "street", _("街道")
    MARKET = "market", _("市场监管")
    COMMUNITY = "community", _("社区")


class Inspection(models.Model):
    """An inspection of a unit against its kind's checklist: the items that failed each
    became a finding."""

    scope_field: ClassVar[str] = "unit__area"
    unit_scope: ClassVar[str] = "unit"

    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="inspections", verbose_name=_("单位")
    )
    agency = models.CharField(_("检查部门"), max_length=10, choices=Agency.choices)
    on = models.DateField(_("检查日期"))
    failed = models.JSONField(_("不合格项"), default=list)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.on}"


class Letter(models.Model):
    """The unit's responsibility letter (《疫情防控责任书》): signed, in force until it
    expires."""

    scope_field: ClassVar[str] = "unit__area"
    unit_scope: ClassVar[str] = "unit"

    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="duty_letters", verbose_name=_("单位")
    )
    signed_by = models.CharField(_("签署人"), max_length=50)
    signed_on = models.DateField(_("签署日期"))
    expires_on = models.DateField(_("有效期至"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("防控责任书")
        verbose_name_plural = _("防控责任书")
        ordering = ["-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("signed_on")),
                name="unitduty_letter_expires_after_signing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.signed_on}–{self.expires_on}"


class ChiefSide(models.TextChoices):
    STREET = "street", _("属地街道指派")
    PROPERTY = "property", _("物业管理单位指派")


class BuildingChief(models.Model):
    """One of a commercial building's two chiefs (双楼长): one named by the street, one by
    the property manager; together responsible for the building."""

    scope_field: ClassVar[str] = "unit__area"
    unit_scope: ClassVar[str] = "unit"

    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="building_chiefs", verbose_name=_("单位")
    )
    side = models.CharField(_("指派方"), max_length=10, choices=ChiefSide.choices)
    name = models.CharField(_("楼长"), max_length=50)
    appointed_on = models.DateField(_("指派日期"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("楼长")
        verbose_name_plural = _("楼长")
        ordering = ["unit", "side"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "side"], name="unitduty_one_chief_per_side")
        ]

    def __str__(self) -> str:
        return self.name
