"""Policy is data: every rule the system applies has a version and an effective date, and
every decision records the version it applied."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class PolicyVersion(models.Model):
    """One version of the rules. A draft has no effective date and applies to nothing; once
    published (with its date) it never changes: a change is the next version."""

    label = models.CharField(_("名称"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.PUBLISHED
    )
    # Null exactly while a draft, so every "in force on" query (effective_from <= day)
    # passes drafts by.
    effective_from = models.DateField(_("生效日期"), unique=True, null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("依据版本"),
    )
    created_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_by = models.ForeignKey(
        "accounts.User", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    issued_by = models.CharField(_("发布机关"), max_length=100, blank=True)
    observation_days = models.PositiveSmallIntegerField(
        _("观察天数"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    fever_threshold = models.DecimalField(
        _("发热线（°C）"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("37.0")), MaxValueValidator(Decimal("38.5"))],
        help_text=_("体温达到或超过此值即为发热"),
    )
    dorm_min_area_m2 = models.DecimalField(
        _("宿舍人均面积下限（㎡）"), max_digits=4, decimal_places=1
    )
    dorm_max_per_room = models.PositiveSmallIntegerField(_("宿舍每间人数上限"))
    underground_min_area_m2 = models.DecimalField(
        _("地下宿舍人均面积下限（㎡）"), max_digits=4, decimal_places=1
    )
    underground_max_per_room = models.PositiveSmallIntegerField(_("地下宿舍每间人数上限"))
    underground_bunk_beds_allowed = models.BooleanField(_("地下宿舍允许上下铺"), default=False)
    onsite_rate_max = models.DecimalField(
        _("在岗率上限"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("人员密集企业同时在岗人数占比上限，如 0.500 即 50%"),
    )
    onsite_rate_kinds = models.CharField(
        _("在岗率上限适用的单位类型"),
        max_length=200,
        default="enterprise,commercial_building",
        db_default="enterprise,commercial_building",
        blank=True,
        validators=[
            RegexValidator(
                r"^([a-z_]+(,[a-z_]+)*)?$", _("单位类型代码用英文逗号分隔，如 enterprise,hospital")
            )
        ],
        help_text=_(
            "单位类型代码，英文逗号分隔：enterprise 企业、commercial_building 商务楼宇、"
            "organ 机关、construction_site 建筑工地、hospital 医院；留空为都不检查"
        ),
    )
    duty_min_rest_hours = models.PositiveSmallIntegerField(
        _("值守两班之间最少休息（小时）"),
        default=8,
        db_default=8,
        validators=[MaxValueValidator(24)],
        help_text=_("同一人两个班次之间至少间隔的小时数；0 为不限"),
    )
    party_activist_min_days = models.PositiveSmallIntegerField(
        _("积极分子至发展对象最少天数"),
        default=365,
        db_default=365,
        validators=[MaxValueValidator(3650)],
        help_text=_("入党积极分子经过多少天培养考察才能列为发展对象"),
    )
    party_probation_days = models.PositiveSmallIntegerField(
        _("预备期（天）"),
        default=365,
        db_default=365,
        validators=[MaxValueValidator(3650)],
        help_text=_("预备党员满多少天才能转为正式党员"),
    )
    care_urgent_hours = models.PositiveSmallIntegerField(
        _("急需求办理时限（小时）"),
        default=2,
        db_default=2,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("隔离家庭送货、外卖、药品需求从提出到办结的时限"),
    )
    care_request_hours = models.PositiveSmallIntegerField(
        _("其他需求办理时限（小时）"),
        default=24,
        db_default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("隔离家庭清运垃圾、代购及其他需求从提出到办结的时限"),
    )
    donation_suggested_max = models.DecimalField(
        _("建议捐款上限（元）"), max_digits=10, decimal_places=2
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status="draft", effective_from__isnull=True)
                    | models.Q(status="published", effective_from__isnull=False)
                ),
                name="policy_dated_once_published",
            ),
        ]

    def __str__(self) -> str:
        if self.effective_from is None:
            return f"{self.label}（草稿）"
        return f"{self.label}（{self.effective_from} 起）"

    @property
    def is_draft(self) -> bool:
        return self.status == PolicyStatus.DRAFT


class OriginRisk(models.TextChoices):
    MUST_NOT_RETURN = "must_not_return", _("暂缓返京")
    OBSERVE = "observe", _("居家或集中观察")
    OBSERVE_REGISTERED = "observe_registered", _("登记并观察")


class OriginRule(models.Model):
    """How a returnee from one origin is handled. `region_code` is a province-level
    GB/T 2260 code (420000 = 湖北省), `overseas`, or `*` for everywhere else."""

    OVERSEAS = "overseas"
    ELSEWHERE = "*"

    policy = models.ForeignKey(PolicyVersion, models.CASCADE, related_name="origin_rules")
    region_code = models.CharField(_("来源地代码"), max_length=16)
    region_name = models.CharField(_("来源地"), max_length=50)
    risk = models.CharField(_("处置"), max_length=32, choices=OriginRisk.choices)
    observation_days = models.PositiveSmallIntegerField(
        _("观察天数"), null=True, blank=True, help_text=_("留空则用本版本的观察天数")
    )

    class Meta:
        verbose_name = _("来源地规则")
        verbose_name_plural = _("来源地规则")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "region_code"], name="origin_rule_unique_region"
            ),
        ]
        ordering = ["policy", "region_code"]

    def __str__(self) -> str:
        return f"{self.region_name}: {self.get_risk_display()}"

    @property
    def days(self) -> int | None:
        if self.risk == OriginRisk.MUST_NOT_RETURN:
            return None
        return self.observation_days or self.policy.observation_days
