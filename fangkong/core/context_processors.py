from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_noop

from fangkong.accounts.roles import Capability

# Navigation by module; a module appears when the account's role may use it.
MODULES: list[tuple[str, str, str | None]] = [  # labels translated in base.html
    (gettext_noop("首页"), "core:home", None),
    (gettext_noop("日报"), "reports:dashboard", Capability.REPORTS_VIEW),
    (gettext_noop("区域"), "areas:list", Capability.AREAS_VIEW),
    (gettext_noop("人员"), "registry:people", Capability.REGISTRY_VIEW),
    (gettext_noop("摸排"), "registry:rounds", Capability.REGISTRY_VIEW),
    (gettext_noop("导入"), "registry:imports", Capability.REGISTRY_IMPORT),
    (gettext_noop("返京报备"), "arrivals:notices", Capability.ARRIVALS_VIEW),
    (gettext_noop("观察"), "arrivals:observations", Capability.ARRIVALS_VIEW),
    (gettext_noop("预警"), "arrivals:alerts", Capability.ARRIVALS_VIEW),
    (gettext_noop("出入证"), "access:passes", Capability.PASSES_VIEW),
    (gettext_noop("门岗查验"), "access:gate", Capability.GATE_CHECK),
    (gettext_noop("政策"), "policy:list", Capability.POLICY_VIEW),
    (gettext_noop("审计"), "audit:list", Capability.AUDIT_VIEW),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {
            "label": label,
            "url": reverse(name),
            "active": request.resolver_match is not None
            and f"{request.resolver_match.namespace}:" == name.split(":")[0] + ":"
            and (name != "core:home" or request.resolver_match.url_name == "home"),
        }
        for label, name, capability in MODULES
        if capability is None or user.can(capability)
    ]
    return {"nav_modules": items}
