"""Returnees (返京人员): advance notice → policy decision → observation-condition inspection →
arrival → observation with twice-daily health reports → release.

Day counting, written down once: the arrival date is day 1. With N observation days the
last day of observation is arrival + (N - 1) days (`Observation.last_day`), and the person
is released on the next morning, arrival + N days (`Observation.release_on`), by
`fangkong daily` or by a worker on or after that date. Extension and shortening move
`days`; every change is an ObservationEvent."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from fangkong.core.scoping import ScopedQuerySet


class FiledBy(models.TextChoices):
    RETURNEE = "returnee", _("本人")
    LANDLORD = "landlord", _("房东")
    EMPLOYER = "employer", _("用工单位")
    WORKER = "worker", _("社区工作人员")


class ObservationMode(models.TextChoices):
    HOME = "home", _("居家观察")
    UNIT = "unit", _("单位集中观察")
    SITE = "site", _("集中观察点")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("待社区确认")  # filed from the public page, not counted yet
    MUST_DELAY = "must_delay", _("暂缓返京")  # the policy says not yet
    INSPECTION = "inspection", _("待核查观察条件")
    FAILED = "failed", _("条件不符，需换地方或延后")
    READY = "ready", _("可以返京")
    ARRIVED = "arrived", _("已到京")
    NO_SHOW = "no_show", _("未到京")  # nobody of the group came
    REJECTED = "rejected", _("社区未采信")
    CANCELLED = "cancelled", _("已取消")


class Decision(models.TextChoices):
    MUST_NOT_RETURN = "must_not_return", _("暂缓返京")
    OBSERVE = "observe", _("观察")


class ArrivalNotice(models.Model):
    """One advance notice (报备): one returnee or a group announced together."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        related_name="arrival_notices",
        verbose_name=_("目的地社区/片区"),
    )
    filed_by = models.CharField(_("报备人身份"), max_length=16, choices=FiledBy.choices)
    filer_name = models.CharField(_("报备人"), max_length=50)
    filer_phone_cipher = models.BinaryField(null=True, editable=False)
    filer_phone_masked = models.CharField(_("报备人电话"), max_length=20, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="arrival_notices",
        verbose_name=_("用工单位"),
    )
    origin_code = models.CharField(
        _("来源地代码"), max_length=16, help_text=_("省级行政区划代码，如 420000；境外填 overseas")
    )
    origin_name = models.CharField(_("来源地"), max_length=100)
    planned_on = models.DateField(_("计划到京日期"))
    address = models.ForeignKey(
        "registry.Address",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="arrival_notices",
        verbose_name=_("到京住址"),
    )
    mode = models.CharField(_("观察方式"), max_length=8, choices=ObservationMode.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.PENDING
    )
    # The decision and the policy version it applied (policy is data).
    policy = models.ForeignKey(
        "policy.PolicyVersion", models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(_("政策判定"), max_length=20, choices=Decision.choices, blank=True)
    observation_days = models.PositiveSmallIntegerField(_("观察天数"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    unannounced = models.BooleanField(_("未提前告知"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("返京报备")
        verbose_name_plural = _("返京报备")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["area", "status"]), models.Index(fields=["planned_on"])]

    def __str__(self) -> str:
        return f"{self.origin_name} → {self.area} {self.planned_on}"


class Arrival(models.TextChoices):
    EXPECTED = "expected", _("待到京")
    ARRIVED = "arrived", _("已到京")
    NO_SHOW = "no_show", _("不来了")


class NoticePerson(models.Model):
    """Who is coming. Filed from a public page the person is not in the registry yet:
    the name and numbers wait here (encrypted) until a worker confirms the notice."""

    scope_field: ClassVar[str] = "notice__area"

    notice = models.ForeignKey(ArrivalNotice, models.CASCADE, related_name="people")
    person = models.ForeignKey(
        "registry.Person", models.PROTECT, null=True, blank=True, related_name="arrival_notices"
    )
    name = models.CharField(_("姓名"), max_length=50)
    document_type = models.CharField(max_length=20, default="resident_id")
    document_cipher = models.BinaryField(null=True, editable=False)
    document_masked = models.CharField(_("证件号码"), max_length=40, blank=True)
    phone_cipher = models.BinaryField(null=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True)
    # Who of the group came, and when (a group may come over several days, or not all).
    arrival = models.CharField(
        _("到京情况"), max_length=16, choices=Arrival.choices, default=Arrival.EXPECTED
    )
    arrived_on = models.DateField(_("到京日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class InspectionResult(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")


# The checklists: code → question. A home and a unit site are checked differently.
HOME_CHECKLIST = {
    "own_room": gettext_noop("有独立房间"),
    "own_toilet": gettext_noop("有独立卫生间"),
    "co_residents_ok": gettext_noop("同住人员能配合（无老人、孕妇、儿童同住，或能分开居住）"),
    "supplies": gettext_noop("生活物资有保障（有人送菜、送饭）"),
}
UNIT_CHECKLIST = {
    "own_building": gettext_noop("独立楼栋"),
    "separate_rooms": gettext_noop("房间相互独立"),
    "toilet_shower": gettext_noop("楼内有卫生间和浴室"),
    "meals": gettext_noop("单位提供餐食"),
    "no_need_to_leave": gettext_noop("不出楼即可满足生活所需"),
}
# The checklist a notice's place is inspected by, per observation mode (a centralized
# observation site is the district's and is not inspected here).
CHECKLISTS: dict[str, dict[str, str]] = {
    ObservationMode.HOME: HOME_CHECKLIST,
    ObservationMode.UNIT: UNIT_CHECKLIST,
}


class Inspection(models.Model):
    """观察条件核查 of the place a notice names, by a joint team."""

    scope_field: ClassVar[str] = "notice__area"

    notice = models.ForeignKey(ArrivalNotice, models.PROTECT, related_name="inspections")
    kind = models.CharField(_("核查对象"), max_length=8, choices=ObservationMode.choices)
    checklist = models.JSONField(_("核查项"), default=dict)
    result = models.CharField(_("结论"), max_length=8, choices=InspectionResult.choices)
    reasons = models.CharField(_("不符合原因"), max_length=300, blank=True)
    inspected_on = models.DateField(_("核查日期"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-inspected_on", "-id"]

    def __str__(self) -> str:
        return f"{self.notice} {self.get_result_display()}"


class InspectionMember(models.Model):
    """A named member of the joint team and their role (开复工组, 医护人员, 管片民警…)."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="team")
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职责"), max_length=50)

    def __str__(self) -> str:
        return f"{self.role} {self.name}"


class ResponsibilityLetter(models.Model):
    """《疫情防控责任书》 signed by a unit for a unit observation."""

    scope_field: ClassVar[str] = "notice__area"

    notice = models.OneToOneField(ArrivalNotice, models.PROTECT, related_name="letter")
    unit = models.ForeignKey("units.Unit", models.PROTECT, related_name="letters")
    signed_on = models.DateField(_("签订日期"))
    unit_signatory = models.CharField(_("单位负责人"), max_length=50)
    community_signatory = models.CharField(_("社区负责人"), max_length=50)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.unit} {self.signed_on}"


class SpotCheckResult(models.TextChoices):
    PENDING = "pending", _("待抽查")
    COMPLIANT = "compliant", _("严格遵守")
    PROBLEM = "problem", _("发现问题")


class SpotCheck(models.Model):
    """An unannounced check of a unit observation; scheduled, then done and recorded."""

    scope_field: ClassVar[str] = "notice__area"

    notice = models.ForeignKey(ArrivalNotice, models.PROTECT, related_name="spot_checks")
    scheduled_on = models.DateField(_("计划日期"))
    done_on = models.DateField(_("抽查日期"), null=True, blank=True)
    result = models.CharField(
        _("结果"), max_length=16, choices=SpotCheckResult.choices, default=SpotCheckResult.PENDING
    )
    findings = models.CharField(_("情况"), max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_on"]

    def __str__(self) -> str:
        return f"{self.notice} {self.scheduled_on}"


class ObservationStatus(models.TextChoices):
    ACTIVE = "active", _("观察中")
    RELEASED = "released", _("已解除")
    HOSPITAL = "hospital", _("已转送医院")
    CANCELLED = "cancelled", _("已撤销")


class ObservationQuerySet(ScopedQuerySet["Observation"]):
    def active(self) -> ObservationQuerySet:
        return self.filter(status=ObservationStatus.ACTIVE)


class Observation(models.Model):
    """One 14-day (policy) observation of one person. A later return is a new row."""

    scope_field: ClassVar[str] = "area"

    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="observations")
    notice = models.ForeignKey(
        ArrivalNotice, models.PROTECT, null=True, blank=True, related_name="observations"
    )
    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="observations")
    mode = models.CharField(_("观察方式"), max_length=8, choices=ObservationMode.choices)
    address = models.ForeignKey(
        "registry.Address", models.PROTECT, null=True, blank=True, related_name="observations"
    )
    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, null=True, blank=True, related_name="observations"
    )
    policy = models.ForeignKey("policy.PolicyVersion", models.PROTECT, related_name="+")
    arrived_on = models.DateField(_("到京日期（第 1 天）"))
    days = models.PositiveSmallIntegerField(_("观察天数"))
    last_day = models.DateField(_("观察最后一天"), db_index=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ObservationStatus.choices,
        default=ObservationStatus.ACTIVE,
    )
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("观察")
        verbose_name_plural = _("观察")
        ordering = ["last_day", "id"]
        constraints = [
            # One observation at a time per person; an old one is never reopened.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="active"),
                name="observation_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(days__gte=1), name="observation_days_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "last_day"]),
            models.Index(fields=["area", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.arrived_on}–{self.last_day}"

    @property
    def release_on(self) -> dt.date:
        return self.last_day + dt.timedelta(days=1)

    def day_number(self, on: dt.date) -> int:
        return (on - self.arrived_on).days + 1


class ObservationEvent(models.Model):
    """Every transition and change of an observation: who, when, why."""

    observation = models.ForeignKey(Observation, models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)  # start, extend, shorten, release, hospital, cancel
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    days_before = models.PositiveSmallIntegerField(null=True)
    days_after = models.PositiveSmallIntegerField(null=True)
    reason = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class Slot(models.TextChoices):
    MORNING = "morning", _("上午")
    EVENING = "evening", _("下午")


SYMPTOMS = {
    "cough": gettext_noop("咳嗽"),
    "sore_throat": gettext_noop("咽痛"),
    "fatigue": gettext_noop("乏力"),
    "short_breath": gettext_noop("气促"),
    "diarrhea": gettext_noop("腹泻"),
    "loss_of_taste": gettext_noop("嗅觉味觉减退"),
}


class HealthReport(models.Model):
    """One temperature report; one per observation, day and slot (a resubmission is the
    same record)."""

    scope_field: ClassVar[str] = "observation__area"

    observation = models.ForeignKey(Observation, models.PROTECT, related_name="reports")
    on = models.DateField(_("日期"))
    slot = models.CharField(_("时段"), max_length=8, choices=Slot.choices)
    temperature = models.DecimalField(_("体温（°C）"), max_digits=3, decimal_places=1)
    symptoms = models.JSONField(_("症状"), default=list, blank=True)
    by_self = models.BooleanField(_("本人填报"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["observation", "on", "slot"], name="report_once_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.observation.person} {self.on} {self.slot} {self.temperature}"


class AlertKind(models.TextChoices):
    FEVER = "fever", _("发热")
    SYMPTOM = "symptom", _("有症状")


class Alert(models.Model):
    """Raised at once for the area's medical staff."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="alerts")
    observation = models.ForeignKey(
        Observation, models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    person = models.ForeignKey("registry.Person", models.PROTECT, related_name="alerts")
    report = models.OneToOneField(
        HealthReport, models.PROTECT, null=True, blank=True, related_name="alert"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=AlertKind.choices)
    temperature = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handling = models.CharField(_("处置"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person}"


class MissedSlots(models.TextChoices):
    """Which of a day's reports a call task is about: one row per person per day."""

    MORNING = "morning", _("上午")
    EVENING = "evening", _("下午")
    BOTH = "both", _("全天")


class CallTaskStatus(models.TextChoices):
    OPEN = "open", _("待电话询问")
    DONE = "done", _("已联系")


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("接通")
    NO_ANSWER = "no_answer", _("无人接听")
    SWITCHED_OFF = "switched_off", _("关机或停机")
    WRONG_NUMBER = "wrong_number", _("号码错误")


# Outcomes after which the call is not tried again.
FINAL_OUTCOMES = (CallOutcome.ANSWERED, CallOutcome.WRONG_NUMBER)


class CallTask(models.Model):
    """A day's missed reports become one call for a worker (`fangkong daily`, idempotent):
    one row per person per day, naming the slots missed. It can be assigned to someone;
    each try is counted, and it stays open until the person is
    reached (or the number is found wrong)."""

    scope_field: ClassVar[str] = "observation__area"

    observation = models.ForeignKey(Observation, models.PROTECT, related_name="call_tasks")
    on = models.DateField(_("日期"))
    missed = models.CharField(_("未报时段"), max_length=8, choices=MissedSlots.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=CallTaskStatus.choices, default=CallTaskStatus.OPEN
    )
    note = models.CharField(_("情况"), max_length=200, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("负责人"),
    )
    # Database defaults too: `fangkong daily` inserts the tasks with one INSERT … SELECT.
    outcome = models.CharField(
        _("结果"), max_length=16, choices=CallOutcome.choices, blank=True, db_default=""
    )
    attempts = models.PositiveSmallIntegerField(_("拨打次数"), default=0, db_default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "on"], name="call_task_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.observation.person} {self.on} {self.missed}"
