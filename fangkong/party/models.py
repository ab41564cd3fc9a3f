"""Party organisations (党组织), their members, donations (党员自愿捐款) and remittances up
the tree (逐级上缴).

Money is a ledger of amounts exact to the fen, stored as whole fen (integers: SQLite keeps
a DecimalField as a floating-point REAL and sums it in floating point, PostgreSQL would
not, and the two must agree to the fen); Python and the API see Decimal yuan
(`amount`), never a float: a donation is never edited — a
mistake is undone by a reversing entry (the negative amount, pointing at the original);
a remittance is a batch one organisation sends and the organisation above receives once.
Every organisation's position is derived from the ledger: collected (its branches' own
donations) + received from below = passed up + held.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet

ZERO = Decimal("0.00")
_HUNDRED = Decimal(100)


def from_fen(fen: int | None) -> Decimal:
    """Whole fen → Decimal yuan with two places (exact)."""
    return (Decimal(fen or 0) / _HUNDRED).quantize(Decimal("0.01"))


def to_fen(amount: Decimal) -> int:
    """Decimal yuan (at most two places, checked by money.parse_amount) → whole fen."""
    fen = amount * _HUNDRED
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of fen")
    return int(fen)


class OrgKind(models.TextChoices):
    DISTRICT = "district", _("区委")
    WORKING = "working", _("党工委")
    COMMUNITY = "community", _("社区党委")
    BRANCH = "branch", _("党支部")


# Which kind may sit under which (the tree's shape).
CHILD_KINDS: dict[str, tuple[str, ...]] = {
    OrgKind.DISTRICT: (OrgKind.WORKING,),
    OrgKind.WORKING: (OrgKind.COMMUNITY, OrgKind.BRANCH),
    OrgKind.COMMUNITY: (OrgKind.BRANCH,),
    OrgKind.BRANCH: (),
}


class Organisation(models.Model):
    """One party organisation. Its place in the party tree (`parent`, `path` of ids
    "/1/4/17/") is its own; `area` places it in the jurisdiction tree for scoping."""

    scope_field: ClassVar[str] = "area"

    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=12, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("上级党组织"),
    )  # fmt: skip
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="party_orgs", verbose_name=_("所在区域")
    )
    treasurer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("收款人"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="party_org_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Member(models.Model):
    """A registered person (registry.Person) who is a party member of one branch."""

    scope_field: ClassVar[str] = "branch__area"

    person = models.OneToOneField(
        "registry.Person", models.PROTECT, related_name="party_member", verbose_name=_("人员")
    )
    branch = models.ForeignKey(
        Organisation, models.PROTECT, related_name="members", verbose_name=_("党支部")
    )
    joined_on = models.DateField(_("入党日期"), null=True, blank=True)
    active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["branch", "person__name", "pk"]

    def __str__(self) -> str:
        return self.person.name if self.person_id else ""


class Channel(models.TextChoices):
    CASH = "cash", _("现金")
    TRANSFER = "transfer", _("转账")
    BANK = "bank", _("银行")


class Donation(models.Model):
    """One donation a branch received from a member, or the reversal of one (`reverses`
    set, `amount` its negative). `above_suggested` is set against the suggested amount of
    the policy in force on `on` (kept in `suggested`): accepted and shown, never refused."""

    scope_field: ClassVar[str] = "branch__area"

    branch = models.ForeignKey(
        Organisation, models.PROTECT, related_name="donations", verbose_name=_("党支部")
    )
    member = models.ForeignKey(
        Member, models.PROTECT, related_name="donations", verbose_name=_("党员")
    )
    amount_fen = models.BigIntegerField(_("金额（分）"))
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    receipt_no = models.CharField(_("收据号 / 流水号"), max_length=40, blank=True, default="")
    on = models.DateField(_("捐款日期"))
    suggested_fen = models.BigIntegerField(null=True, blank=True)
    above_suggested = models.BooleanField(_("超过建议金额"), default=False)
    reverses = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )
    reversed = models.BooleanField(default=False, editable=False)
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("捐款")
        verbose_name_plural = _("捐款")
        ordering = ["-on", "-pk"]
        indexes = [
            models.Index(fields=["branch", "on"], name="party_donation_branch_on"),
            models.Index(fields=["on", "branch"], name="party_donation_on_branch"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(reverses__isnull=True) & models.Q(amount_fen__gt=0))
                | (models.Q(reverses__isnull=False) & models.Q(amount_fen__lt=0)),
                name="party_donation_sign",
            ),
            # The same transfer is never booked twice (a reversed one may be booked again).
            models.UniqueConstraint(
                fields=["branch", "receipt_no"],
                condition=~models.Q(receipt_no="")
                & models.Q(reverses__isnull=True)
                & models.Q(reversed=False),
                name="party_donation_receipt_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.amount}"

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)

    @property
    def suggested(self) -> Decimal | None:
        return None if self.suggested_fen is None else from_fen(self.suggested_fen)


class BranchDay(models.Model):
    """A branch's donations of one day, added up: what the summaries and the
    reconciliation read instead of the ledger (a district holds tens of thousands of
    donations a day). Derived, never edited by hand: `services.branch_days_rebuild`
    recounts a branch's days from its ledger in the transaction that wrote the ledger,
    under the branch's row lock.

    `donors` counts the members with a donation that day not reversed; `first_donors`
    those whose first such donation in this branch was that day, so that the donors up to
    a day are the sum of `first_donors` up to it. A reversal is dated as its original and
    nets it to zero, so `amount_fen` is the day's sum of the ledger."""

    branch = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    on = models.DateField()
    amount_fen = models.BigIntegerField(default=0)
    donors = models.PositiveIntegerField(default=0)
    first_donors = models.PositiveIntegerField(default=0)
    above_suggested = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "on"], name="party_branchday_once"),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.on}"


class Remittance(models.Model):
    """A batch of money one organisation passes up to its parent (上缴), and its receipt
    there: received once, with the amount actually received (a difference is listed by
    the reconciliation, never hidden)."""

    scope_fields: ClassVar[tuple[str, ...]] = ("from_org__area", "to_org__area")

    number = models.CharField(_("上缴单号"), max_length=20, unique=True)
    from_org = models.ForeignKey(
        Organisation, models.PROTECT, related_name="sent", verbose_name=_("上缴组织")
    )
    to_org = models.ForeignKey(
        Organisation, models.PROTECT, related_name="incoming", verbose_name=_("接收组织")
    )
    amount_fen = models.BigIntegerField(_("上缴金额（分）"))
    sent_on = models.DateField(_("上缴日期"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")
    received_fen = models.BigIntegerField(_("实收金额（分）"), null=True, blank=True)
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_note = models.CharField(_("接收备注"), max_length=200, blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("上缴批次")
        verbose_name_plural = _("上缴批次")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="party_remit_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(received_at__isnull=True, received_fen__isnull=True)
                | models.Q(received_at__isnull=False, received_fen__gte=0),
                name="party_remit_received_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def received(self) -> bool:
        return self.received_at is not None

    @property
    def amount(self) -> Decimal:
        return from_fen(self.amount_fen)

    @property
    def received_amount(self) -> Decimal | None:
        return None if self.received_fen is None else from_fen(self.received_fen)

    @property
    def difference(self) -> Decimal | None:
        if self.received_fen is None:
            return None
        return from_fen(self.received_fen - self.amount_fen)


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("待确认")
    DONE = "done", _("已导入")
    CANCELLED = "cancelled", _("已取消")


class DonationImport(models.Model):
    """A transfer list read from Excel and matched to members, waiting for the treasurer
    to confirm it: `rows` holds every data row as read (name, amount as text, date,
    receipt number, channel, the member matched or the reason it was refused)."""

    scope_field: ClassVar[str] = "org__area"

    org = models.ForeignKey(
        Organisation, models.PROTECT, related_name="imports", verbose_name=_("党组织")
    )
    file_name = models.CharField(_("文件"), max_length=200, blank=True, default="")
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    errors = models.PositiveIntegerField(_("有误行数"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    recorded = models.PositiveIntegerField(_("已登记笔数"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("转账名单导入")
        verbose_name_plural = _("转账名单导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name or str(self.pk)

    @property
    def valid_rows(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if not r.get("error")]

    @property
    def error_rows(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r.get("error")]

    @property
    def valid_fen(self) -> int:
        return sum(int(r["fen"]) for r in self.valid_rows)

    @property
    def valid_amount(self) -> Decimal:
        return from_fen(self.valid_fen)


class Stage(models.TextChoices):
    """Party-member development (发展党员), in order."""

    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    OBJECT = "object", _("发展对象")
    REVIEWED = "reviewed", _("已审查")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")


STAGES: tuple[str, ...] = tuple(Stage.values)
# The date field of each stage on a Candidate.
STAGE_DATE: dict[str, str] = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.OBJECT: "object_on",
    Stage.REVIEWED: "reviewed_on",
    Stage.PROBATIONARY: "probationary_on",
    Stage.FULL: "full_on",
}


class Candidate(models.Model):
    """A person on the way to membership through a branch: the stage reached and the day
    of each stage; two introducers (members) from the development-object stage on."""

    scope_field: ClassVar[str] = "branch__area"

    person = models.OneToOneField(
        "registry.Person", models.PROTECT, related_name="party_candidate", verbose_name=_("人员")
    )
    branch = models.ForeignKey(
        Organisation, models.PROTECT, related_name="candidates", verbose_name=_("党支部")
    )
    stage = models.CharField(_("阶段"), max_length=14, choices=Stage.choices)
    applied_on = models.DateField(_("递交申请书"))
    activist_on = models.DateField(_("确定为积极分子"), null=True, blank=True)
    object_on = models.DateField(_("列为发展对象"), null=True, blank=True)
    reviewed_on = models.DateField(_("审查通过"), null=True, blank=True)
    probationary_on = models.DateField(_("接收为预备党员"), null=True, blank=True)
    full_on = models.DateField(_("转为正式党员"), null=True, blank=True)
    introducer1 = models.ForeignKey(
        Member, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("入党介绍人"),
    )  # fmt: skip
    introducer2 = models.ForeignKey(
        Member, models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("入党介绍人"),
    )  # fmt: skip
    frontline = models.BooleanField(_("抗疫一线"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展党员")
        verbose_name_plural = _("发展党员")
        ordering = ["branch", "applied_on", "pk"]

    def __str__(self) -> str:
        return self.person.name if self.person_id else ""

    def stage_date(self, stage: str) -> dt.date | None:
        value: dt.date | None = getattr(self, STAGE_DATE[stage])
        return value


class MeetingForm(models.TextChoices):
    IN_PERSON = "in_person", _("现场")
    REMOTE_VIDEO = "remote_video", _("远程视频")


class MeetingPurpose(models.TextChoices):
    ADMIT = "admit", _("接收预备党员")
    CONFIRM = "confirm", _("预备党员转正")


class Meeting(models.Model):
    """A branch general meeting (支部党员大会) that votes on candidates: held in person or
    by remote video (a member at the front in Wuhan attends by video)."""

    scope_field: ClassVar[str] = "branch__area"

    branch = models.ForeignKey(
        Organisation, models.PROTECT, related_name="meetings", verbose_name=_("党支部")
    )
    held_on = models.DateField(_("日期"))
    form = models.CharField(_("形式"), max_length=14, choices=MeetingForm.choices)
    purpose = models.CharField(_("议题"), max_length=10, choices=MeetingPurpose.choices)
    entitled = models.PositiveIntegerField(_("应到有表决权党员"))
    present = models.PositiveIntegerField(_("实到"))
    remote = models.PositiveIntegerField(_("视频参会"), default=0)
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"), default=0)
    abstentions = models.PositiveIntegerField(_("弃权"), default=0)
    candidates = models.ManyToManyField(
        Candidate, related_name="meetings", verbose_name=_("表决对象")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("支部党员大会")
        verbose_name_plural = _("支部党员大会")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.branch_id} {self.held_on}"

    @property
    def passed(self) -> bool:
        """More than half of the members entitled to vote said yes (and a quorum of more
        than half was present)."""
        return self.present * 2 > self.entitled and self.votes_for * 2 > self.entitled
