"""What access does when another app tells it something (connected in AccessConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from fangkong.access.services import visit_rules_copy
from fangkong.policy.models import PolicyVersion
from fangkong.policy.signals import policy_drafted


@receiver(policy_drafted, sender=PolicyVersion)
def copy_visit_rules(sender: Any, *, draft: PolicyVersion, source: PolicyVersion, **_: Any) -> None:
    visit_rules_copy(source=source, draft=draft)
