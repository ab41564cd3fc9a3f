"""Handing a person over from one community to another (人员转交). The community where
someone now lives asks for them; the community that holds their record accepts (the
record moves, with its history) or refuses with a reason. Nobody rewrites a record
outside their own jurisdiction: both sides see the request, each does their own part."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.scoping import ScopedQuerySet
from fangkong.registry.models.people import Address, Person, ResidenceKind

__all__ = ["Transfer", "TransferStatus"]


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已转交")
    REFUSED = "refused", _("不同意")
    CANCELLED = "cancelled", _("已撤回")


class Transfer(models.Model):
    # Visible from both communities: the one that holds the record and the one asking.
    scope_fields: ClassVar[tuple[str, ...]] = ("from_area", "to_area")

    person = models.ForeignKey(Person, models.PROTECT, related_name="transfers")
    from_area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("原登记社区")
    )
    to_area = models.ForeignKey(
        "areas.Area", models.PROTECT, related_name="+", verbose_name=_("转入社区")
    )
    address = models.ForeignKey(
        Address, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("新住址")
    )
    kind = models.CharField(_("居住类型"), max_length=16, choices=ResidenceKind.choices, blank=True)
    reason = models.CharField(_("转入原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    answer = models.CharField(_("答复"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员转交")
        verbose_name_plural = _("人员转交")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.to_area}"
