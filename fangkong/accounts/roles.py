"""Roles, and what each may do. Territory comes from the account's area; the capabilities
of a role come from the modules (each app's `module.py` grants its own)."""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.modules import all_capabilities, grants


class Role(models.TextChoices):
    DISTRICT_OFFICER = "district_officer", _("区级工作人员")
    STREET_OFFICER = "street_officer", _("街乡工作人员")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    MEDICAL_STAFF = "medical_staff", _("医务人员")
    POLICE_OFFICER = "police_officer", _("民警")
    GATE_GUARD = "gate_guard", _("门岗 / 志愿者")
    CADRE = "cadre", _("下沉干部")
    UNIT_CONTACT = "unit_contact", _("单位联系人")
    PARTY_TREASURER = "party_treasurer", _("党组织收款人")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


@cache
def capabilities_of(role: str) -> frozenset[str]:
    """Every capability `role` holds; a system admin holds all of every module."""
    if role == Role.SYSTEM_ADMIN:
        return frozenset(value for value, _label in all_capabilities())
    return grants().get(role, frozenset())
