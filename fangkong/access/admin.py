"""Admin for the rules that are data: which visitors and deliveries a policy version admits."""

from __future__ import annotations

from django.contrib import admin

from fangkong.access.models import VisitRule


@admin.register(VisitRule)
class VisitRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["policy", "kind", "reason", "admit", "note"]
    list_filter = ["policy", "kind", "admit"]
