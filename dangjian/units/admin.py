from django.contrib import admin

from dangjian.core.admin import PLACED_FIELDS, AuditedAdmin, PhoneSearchMixin
from dangjian.units.models import Unit


@admin.register(Unit)
class UnitAdmin(PhoneSearchMixin, AuditedAdmin):
    phone_hash_field = "contact_phone_hash"
    list_display = (
        "name",
        "kind",
        "credit_code",
        "node",
        "contact_name",
        "contact_phone_masked",
        "employees",
        "is_resident_unit",
    )
    list_filter = ("kind", "is_resident_unit")
    search_fields = ("name", "credit_code", "contact_name")
    raw_id_fields = ("node",)
    readonly_fields = ("contact_phone_masked", *PLACED_FIELDS)
    list_select_related = ("node",)
