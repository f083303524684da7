from django.contrib import admin

from dangjian.core.admin import PLACED_FIELDS, AuditedAdmin
from dangjian.venues.models import ServicePosition


@admin.register(ServicePosition)
class ServicePositionAdmin(AuditedAdmin):
    list_display = ("name", "kind", "level", "node", "unit", "floor_area", "area_status", "open_to_public")
    list_filter = ("kind", "level", "open_to_public")
    search_fields = ("name", "address", "node__name")
    raw_id_fields = ("node", "unit")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("node", "unit")

    @admin.display(description="面积达标")
    def area_status(self, obj: ServicePosition) -> str:
        return obj.area_check().label
