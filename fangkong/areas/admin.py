from django.contrib import admin

from fangkong.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "kind", "parent", "retired_on"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth", "parent", "successor", "retired_on"]
