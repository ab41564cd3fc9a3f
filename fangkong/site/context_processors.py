from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from fangkong.core.modules import MenuEntry, modules
from fangkong.site.workbench import menu_counts


def _menu() -> list[MenuEntry]:
    entries = [entry for module in modules() for entry in module.menu]
    return sorted(entries, key=lambda entry: entry.order)


def _active(request: HttpRequest, url_name: str) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    if url_name == "site:home":
        return match.namespace == "site" and match.url_name == "home"
    return match.namespace == url_name.partition(":")[0]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu: every module's entries the account's role may open (labels translated in
    base.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counts = menu_counts(user)
    items = [
        {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "active": _active(request, entry.url_name),
            "count": counts.get(entry.url_name, 0),
        }
        for entry in _menu()
        if entry.capability is None or user.can(entry.capability)
    ]
    return {"nav_modules": items}
