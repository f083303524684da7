from django.contrib import admin

from dangjian.core.admin import PLACED_FIELDS, AuditedAdmin
from dangjian.territory.models import MicroGrid, Node


@admin.register(Node)
class NodeAdmin(AuditedAdmin):
    list_display = ("name", "level", "code", "grid_type", "households", "parent", "retired_at")
    list_filter = ("level", "grid_type", "retired_at")
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)
    readonly_fields = (
        *PLACED_FIELDS,
        "path",
        "depth",
        "min_lng",
        "min_lat",
        "max_lng",
        "max_lat",
        "created_at",
        "updated_at",
    )
    list_select_related = ("parent",)


@admin.register(MicroGrid)
class MicroGridAdmin(AuditedAdmin):
    list_display = ("name", "kind", "area", "organization", "member", "households")
    list_filter = ("kind",)
    search_fields = ("name", "area__name")
    raw_id_fields = ("area", "organization", "member")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("area", "organization")
