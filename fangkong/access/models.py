"""Passes and gates (出入证与门岗): gates of a compound or zone, passes issued to its residents
and workers, the log of every gate check, visitors and deliveries registered at a gate, and
referrals of people stopped without a pass for the community to handle.

A pass never carries personal data: its QR code holds a random token (`secrets`), and its
typed number is a short random number with a check digit. "Under observation" is not a pass
status: the gate check derives it from the person's active observation, so releasing the
observation restores the pass for exit at once, with nothing to undo."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet


class GateKind(models.TextChoices):
    ENTRANCE = "entrance", _("出入口")
    GARAGE = "garage", _("地下车库出入口")


class Gate(models.Model):
    """A gate post (门岗, 志愿服务岗) of a compound or zone; `opens` are the zones it admits
    to (a pass for one of them, or for an area above them, opens it)."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="gates", verbose_name=_("所在社区/片区")
    )
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(
        _("类型"), max_length=16, choices=GateKind.choices, default=GateKind.ENTRANCE
    )
    opens = models.ManyToManyField(
        "areas.Area", related_name="+", verbose_name=_("可进入的片区"), blank=True
    )
    staffed_24h = models.BooleanField(_("24 小时值守"), default=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("门岗")
        verbose_name_plural = _("门岗")
        ordering = ["area__path", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="gate_unique_name")]

    def __str__(self) -> str:
        return self.name


class PassKind(models.TextChoices):
    RESIDENT = "resident", _("居民")
    WORKER = "worker", _("工作人员")
    TEMPORARY = "temporary", _("临时")


class PassStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    SUSPENDED = "suspended", _("暂停使用")
    REVOKED = "revoked", _("已作废")
    EXPIRED = "expired", _("已过期")


# A person holds at most one pass per zone in these states (a suspended pass still counts:
# it is reactivated or revoked, not doubled).
HELD_STATUSES = (PassStatus.ACTIVE, PassStatus.SUSPENDED)


class Pass(models.Model):
    """出入证. `token` is the QR content, `number` the short number a guard can type."""

    scope_field: ClassVar[str] = "area"

    person = models.ForeignKey(
        "registry.Person", models.PROTECT, related_name="passes", verbose_name=_("持证人")
    )
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="passes", verbose_name=_("通行片区")
    )
    kind = models.CharField(_("类别"), max_length=16, choices=PassKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=PassStatus.choices, default=PassStatus.ACTIVE
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    number = models.CharField(_("证号"), max_length=16, unique=True, editable=False)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("补办的新证"),
    )
    status_reason = models.CharField(_("状态说明"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("发证时间"), auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("出入证")
        verbose_name_plural = _("出入证")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "area"],
                condition=models.Q(status__in=["active", "suspended"]),
                name="pass_one_held_per_person_and_area",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="temporary") | models.Q(valid_until__isnull=False),
                name="pass_temporary_has_end_date",
            ),
        ]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.person}"

    @property
    def number_display(self) -> str:
        """1234 5678 90: easier to read off a card and type."""
        n = self.number
        return " ".join(n[i : i + 4] for i in range(0, len(n), 4))


class Direction(models.TextChoices):
    IN = "in", _("进")
    OUT = "out", _("出")


class CheckDecision(models.TextChoices):
    ADMIT = "admit", _("通行")
    DENY = "deny", _("禁止通行")


class Reason(models.TextChoices):
    """Reason codes of the gate-check contract (DESIGN.md), with what the guard reads."""

    FEVER = "fever", _("体温异常")
    NO_PASS = "no_pass", _("无出入证")
    PASS_EXPIRED = "pass_expired", _("出入证已过期")
    PASS_SUSPENDED = "pass_suspended", _("出入证已暂停使用")
    PASS_REVOKED = "pass_revoked", _("出入证已作废")
    WRONG_AREA = "wrong_area", _("非本片区出入证")
    UNDER_OBSERVATION = "under_observation", _("正在居家观察，不得外出")
    MUST_NOT_RETURN_YET = "must_not_return_yet", _("按政策暂缓返京")
    NOT_ALLOWED = "not_allowed", _("按现行政策不得进入")


class GateCheck(models.Model):
    """One check at a gate, admit or deny; written once per `check_id` (the device's id)."""

    scope_field: ClassVar[str] = "area"

    check_id = models.UUIDField(unique=True)
    # Foreign keys covered by the composite indexes below get no index of their own: ten
    # million rows a day pay for every index on every insert.
    #
    # The gate, its area and the guard are the same few rows for every check at a post,
    # so they get no constraint in the database (db_constraint=False): a constraint
    # checks each insert by locking the row it names (FOR KEY SHARE), and checks
    # running at the same moment share those locks through a MultiXact, which cost the
    # log a third of its insert rate (pgbench, 8 clients, 10M rows: about 2,000 inserts/s
    # with them, 2,950 without). Deleting such a row is still refused (PROTECT, in the
    # ORM), and gates, areas and accounts are retired, never deleted. The pass and the
    # person, different for each check, keep theirs.
    gate = models.ForeignKey(
        Gate, models.PROTECT, related_name="checks", db_index=False, db_constraint=False
    )
    area = models.ForeignKey(
        "areas.Area",
        models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
        help_text=_("门岗所在区域"),
    )
    gate_pass = models.ForeignKey(
        # Read through (person, at): a pass's checks are its holder's checks.
        Pass,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
        db_index=False,
    )
    person = models.ForeignKey(
        "registry.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="gate_checks",
        db_index=False,
    )
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    temperature = models.DecimalField(_("体温（°C）"), max_digits=3, decimal_places=1)
    decision = models.CharField(_("结果"), max_length=8, choices=CheckDecision.choices)
    reasons = models.CharField(_("原因"), max_length=200, blank=True)  # codes, comma-separated
    plate = models.CharField(_("车牌"), max_length=16, blank=True)
    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    at = models.DateTimeField(_("时间"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("门岗查验")
        verbose_name_plural = _("门岗查验")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["gate", "at"], name="gatecheck_gate_at"),
            models.Index(fields=["area", "at"], name="gatecheck_area_at"),
            models.Index(fields=["person", "at"], name="gatecheck_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.gate} {self.at:%Y-%m-%d %H:%M} {self.decision}"

    @property
    def reason_codes(self) -> list[str]:
        return [r for r in self.reasons.split(",") if r]

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(r).label) if r in Reason.values else r for r in self.reason_codes]


class ReferralKind(models.TextChoices):
    UNANNOUNCED = "unannounced", _("无出入证的返京人员（未报备）")
    FEVER = "fever", _("无证人员体温异常")


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("待社区处理")
    DONE = "done", _("已处理")


class GateReferral(models.Model):
    """Someone stopped at a gate whom the community must take over: a returnee with no
    pass and no notice (landlord contact, inspection: the arrivals unannounced form), or a
    fever of a person the registry does not know (no Alert can name them)."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+")
    gate_check = models.OneToOneField(GateCheck, models.PROTECT, related_name="referral")
    gate = models.ForeignKey(Gate, models.PROTECT, related_name="referrals")
    person = models.ForeignKey(
        "registry.Person", models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ReferralKind.choices)
    name = models.CharField(_("姓名（自述）"), max_length=50, blank=True)
    note = models.CharField(_("情况"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handling = models.CharField(_("处理情况"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("门岗转交")
        verbose_name_plural = _("门岗转交")
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.gate}"


class VisitKind(models.TextChoices):
    VISITOR = "visitor", _("访客")
    DELIVERY = "delivery", _("快递外卖")


class VisitReason(models.TextChoices):
    OFFICIAL = "official", _("公务")
    REPAIR = "repair", _("维修抢修")
    CARE = "care", _("照护老人、病人")
    MEDICAL = "medical", _("医护上门")
    RELATIVE = "relative", _("探亲访友")
    PARCEL = "parcel", _("快递")
    TAKEAWAY = "takeaway", _("外卖")
    SUPPLIES = "supplies", _("生活物资配送")
    OTHER = "other", _("其他")


class VisitRule(models.Model):
    """Policy as data: under a policy version, whether a visitor or delivery with a given
    reason may enter. A policy version without rules falls back to `DEFAULT_VISIT_RULES`
    (fangkong.access.visits), and the registration records which version it applied."""

    policy = models.ForeignKey("policy.PolicyVersion", models.CASCADE, related_name="visit_rules")
    kind = models.CharField(_("类型"), max_length=16, choices=VisitKind.choices)
    reason = models.CharField(_("事由"), max_length=16, choices=VisitReason.choices)
    admit = models.BooleanField(_("准予进入"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("访客规则")
        verbose_name_plural = _("访客规则")
        constraints = [
            models.UniqueConstraint(fields=["policy", "kind", "reason"], name="visit_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_reason_display()}"


class Visit(models.Model):
    """A visitor or a delivery registered at a gate, with the decision the policy gave."""

    scope_field: ClassVar[str] = "area"

    area = models.ForeignKey("areas.Area", models.PROTECT, related_name="+")
    gate = models.ForeignKey(Gate, models.PROTECT, related_name="visits")
    kind = models.CharField(_("类型"), max_length=16, choices=VisitKind.choices)
    reason = models.CharField(_("事由"), max_length=16, choices=VisitReason.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone_cipher = models.BinaryField(null=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True)
    destination = models.CharField(_("去往（楼院、住户）"), max_length=100, blank=True)
    plate = models.CharField(_("车牌"), max_length=16, blank=True)
    temperature = models.DecimalField(_("体温（°C）"), max_digits=3, decimal_places=1)
    decision = models.CharField(_("结果"), max_length=8, choices=CheckDecision.choices)
    reasons = models.CharField(_("原因"), max_length=200, blank=True)
    policy = models.ForeignKey("policy.PolicyVersion", models.PROTECT, null=True, related_name="+")
    guard = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("访客登记")
        verbose_name_plural = _("访客登记")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["area", "at"])]

    def __str__(self) -> str:
        return f"{self.name} {self.get_kind_display()}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(r).label) for r in self.reasons.split(",") if r in Reason.values]
