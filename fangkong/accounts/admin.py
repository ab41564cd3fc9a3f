from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from fangkong.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "role", "area", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["area"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("属地与角色", {"fields": ("area", "role")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("属地与角色", {"fields": ("area", "role")}))
