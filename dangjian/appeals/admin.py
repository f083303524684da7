from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dangjian.appeals.models import Case, Category, StreetTaskItem, WhistleTask


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "level",
        "parent",
        "response_hours",
        "resolve_days",
        "enterprise",
        "active",
    )
    list_editable = ("response_hours", "resolve_days", "enterprise", "active")
    list_filter = ("level", "enterprise", "active")
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the workflow actions."""

    list_display = ("number", "title", "status", "channel", "tier", "handling_node", "received_on")
    list_filter = ("status", "channel", "tier")
    search_fields = ("number",)
    list_select_related = ("handling_node",)
    date_hierarchy = "received_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(StreetTaskItem)
class StreetTaskItemAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "street", "sort")
    list_filter = ("area",)
    search_fields = ("name", "street__name")
    raw_id_fields = ("street",)
    filter_horizontal = ("departments",)


@admin.register(WhistleTask)
class WhistleTaskAdmin(admin.ModelAdmin):
    list_display = ("whistle", "department", "status", "report_due", "due", "street_score")
    list_filter = ("status",)
    search_fields = ("department__name", "whistle__case__number")
    raw_id_fields = ("whistle", "department", "owner")
