"""Care for isolated households (隔离家庭服务): the daily care call to each person under
observation (关怀电话) and their requests for help (我需要帮助).

A request goes 新 → 已接单 → 已完成 / 无法完成 (with why); its deadline is fixed when it is
raised, from the kind and the policy in force that day (policy `care_urgent_hours` for
delivery, take-away and medicine, `care_request_hours` for the rest). Overdue is read,
never stored: still open and past `due_at`."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class CallOutcome(models.TextChoices):
    WELL = "well", _("情况良好")
    NEEDS = "needs", _("有需求")
    UNWELL = "unwell", _("身体不适")
    NO_ANSWER = "no_answer", _("未接通")


class CareCall(models.Model):
    """One care call to a person under observation: who called, when, the outcome and
    what they need. Several on one day are fine (no answer, then again)."""

    scope_field: ClassVar[str] = "observation__area"

    observation = models.ForeignKey(
        "arrivals.Observation", models.PROTECT, related_name="care_calls"
    )
    on = models.DateField(_("日期"), db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=CallOutcome.choices)
    needs = models.CharField(_("需求"), max_length=200, blank=True, default="")
    note = models.CharField(_("情况"), max_length=200, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("关怀电话")
        verbose_name_plural = _("关怀电话")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["observation", "on"], name="care_call_obs_day")]

    def __str__(self) -> str:
        return f"{self.observation_id} {self.on} {self.outcome}"


class RequestKind(models.TextChoices):
    DELIVERY = "delivery", _("快递送货")
    TAKEAWAY = "takeaway", _("外卖")
    MEDICINE = "medicine", _("买药")
    RUBBISH = "rubbish", _("清运垃圾")
    SHOPPING = "shopping", _("代购")
    OTHER = "other", _("其他")


# Kinds served within the policy's urgent hours; the rest within its ordinary hours.
URGENT_KINDS = frozenset({RequestKind.DELIVERY, RequestKind.TAKEAWAY, RequestKind.MEDICINE})


class RequestStatus(models.TextChoices):
    NEW = "new", _("新")
    TAKEN = "taken", _("已接单")
    DONE = "done", _("已完成")
    FAILED = "failed", _("无法完成")


OPEN = (RequestStatus.NEW, RequestStatus.TAKEN)


class CareRequestQuerySet(ScopedQuerySet["CareRequest"]):
    def open(self) -> CareRequestQuerySet:
        return self.filter(status__in=OPEN)

    def overdue(self, now: object = None) -> CareRequestQuerySet:
        return self.open().filter(due_at__lt=now or timezone.now())


class CareRequest(models.Model):
    """A request for help from an isolated household."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="care_requests", verbose_name=_("社区")
    )
    observation = models.ForeignKey(
        "arrivals.Observation", models.PROTECT, related_name="care_requests"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=RequestKind.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True, default="")
    status = models.CharField(
        _("状态"), max_length=8, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    by_self = models.BooleanField(_("本人提出"), default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    call = models.ForeignKey(
        CareCall, models.PROTECT, null=True, blank=True, related_name="requests"
    )
    raised_at = models.DateTimeField(_("提出时间"))
    due_at = models.DateTimeField(_("办结时限"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="care_requests",
        verbose_name=_("承办人"),
    )
    volunteer = models.CharField(_("志愿者"), max_length=50, blank=True, default="")
    taken_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("办理情况"), max_length=200, blank=True, default="")

    objects = CareRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("求助")
        verbose_name_plural = _("求助")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"], name="care_request_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(outcome=""),
                name="care_request_failed_says_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def handler(self) -> str:
        if self.volunteer:
            return self.volunteer
        if self.assignee is None:
            return ""
        return self.assignee.first_name or self.assignee.get_username()

    @property
    def hours_to_close(self) -> float | None:
        if self.closed_at is None:
            return None
        return (self.closed_at - self.raised_at).total_seconds() / 3600


class Announcement(models.Model):
    """A short notice from a community to its residents (宣传引导): rules in force, what
    returnees must do, service phone numbers. Shown on the residents' phone pages (the
    self-report and advance-notice pages) of the area and below it, from `starts_on`
    until `ends_on` (none: until withdrawn), and printed as an A4 poster with a QR code."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="announcements", verbose_name=_("社区")
    )
    title = models.CharField(_("标题"), max_length=60)
    body = models.TextField(_("内容"), max_length=800)
    phones = models.CharField(_("服务电话"), max_length=120, blank=True, default="")
    starts_on = models.DateField(_("发布日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def shown_on(self, on: object) -> bool:
        return (
            self.withdrawn_at is None
            and self.starts_on <= on  # type: ignore[operator]
            and (self.ends_on is None or on <= self.ends_on)  # type: ignore[operator]
        )
