"""Roles and what each may do. Territory comes from the account's area; this says which
modules a role may read or change inside it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Capability(models.TextChoices):
    AREAS_VIEW = "areas.view", _("查看区域")
    AREAS_CHANGE = "areas.change", _("调整区域")
    POLICY_VIEW = "policy.view", _("查看政策")
    POLICY_CHANGE = "policy.change", _("发布政策")
    AUDIT_VIEW = "audit.view", _("查看审计日志")
    ACCOUNTS_MANAGE = "accounts.manage", _("管理账号")
    REGISTRY_VIEW = "registry.view", _("查看人员登记")
    REGISTRY_CHANGE = "registry.change", _("登记和修改人员")
    REGISTRY_REVEAL = "registry.reveal", _("查看完整证件号和电话")
    REGISTRY_EXPORT = "registry.export", _("导出人员")
    REGISTRY_IMPORT = "registry.import", _("导入摸排表")
    ARRIVALS_VIEW = "arrivals.view", _("查看返京报备和观察")
    ARRIVALS_CHANGE = "arrivals.change", _("处理返京报备和观察")
    ARRIVALS_INSPECT = "arrivals.inspect", _("核查观察条件")
    HEALTH_RECORD = "health.record", _("代填健康报告")
    ALERTS_HANDLE = "alerts.handle", _("处置发热预警")
    PASSES_VIEW = "passes.view", _("查看出入证和门岗记录")
    PASSES_ISSUE = "passes.issue", _("核发出入证")
    GATE_CHECK = "gate.check", _("门岗查验")
    REPORTS_VIEW = "reports.view", _("查看日报和数据看板")


_EVERYONE = {Capability.AREAS_VIEW, Capability.POLICY_VIEW}
# Everyone who works on a jurisdiction's records reads its daily figures.
_REPORTS = {Capability.REPORTS_VIEW}
_REGISTRY_READ = {Capability.REGISTRY_VIEW, Capability.REGISTRY_EXPORT}
_REGISTRY_WORK = _REGISTRY_READ | {
    Capability.REGISTRY_CHANGE,
    Capability.REGISTRY_REVEAL,
    Capability.REGISTRY_IMPORT,
}
_ARRIVALS_WORK = {
    Capability.ARRIVALS_VIEW,
    Capability.ARRIVALS_CHANGE,
    Capability.ARRIVALS_INSPECT,
    Capability.HEALTH_RECORD,
}

_PASSES_WORK = {Capability.PASSES_VIEW, Capability.PASSES_ISSUE, Capability.GATE_CHECK}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.DISTRICT_OFFICER: frozenset(
        _EVERYONE
        | _REPORTS
        | _REGISTRY_READ
        | {
            Capability.AREAS_CHANGE,
            Capability.POLICY_CHANGE,
            Capability.ARRIVALS_VIEW,
            Capability.PASSES_VIEW,
        }
    ),
    Role.STREET_OFFICER: frozenset(
        _EVERYONE | _REPORTS | _REGISTRY_READ | {Capability.ARRIVALS_VIEW, Capability.PASSES_VIEW}
    ),
    Role.COMMUNITY_WORKER: frozenset(
        _EVERYONE | _REPORTS | _REGISTRY_WORK | _ARRIVALS_WORK | _PASSES_WORK
    ),
    Role.MEDICAL_STAFF: frozenset(
        _EVERYONE
        | _REPORTS
        | {
            Capability.REGISTRY_VIEW,
            Capability.ARRIVALS_VIEW,
            Capability.ARRIVALS_INSPECT,
            Capability.HEALTH_RECORD,
            Capability.ALERTS_HANDLE,
        }
    ),
    Role.POLICE_OFFICER: frozenset(
        _EVERYONE
        | _REPORTS
        | {
            Capability.REGISTRY_VIEW,
            Capability.REGISTRY_REVEAL,
            Capability.ARRIVALS_VIEW,
            Capability.ARRIVALS_INSPECT,
            Capability.PASSES_VIEW,
        }
    ),
    Role.GATE_GUARD: frozenset(_EVERYONE | {Capability.GATE_CHECK}),
    # Cadres join the community team "with the same duties" (同岗同责).
    Role.CADRE: frozenset(_EVERYONE | _REPORTS | _REGISTRY_WORK | _ARRIVALS_WORK | _PASSES_WORK),
    Role.UNIT_CONTACT: frozenset(_EVERYONE),
    Role.PARTY_TREASURER: frozenset(_EVERYONE),
    Role.SYSTEM_ADMIN: frozenset(Capability.values),
}
