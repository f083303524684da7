from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from dangjian.core.admin import PLACED_FIELDS, AuditedAdmin, PhoneSearchMixin
from dangjian.people.models import (
    CommunityWorker,
    GridWorker,
    Leader,
    LegalOfficer,
    PayScale,
    Person,
    Resident,
)


@admin.register(Person)
class PersonAdmin(PhoneSearchMixin, AuditedAdmin):
    list_display = (
        "name",
        "gender",
        "birth_date",
        "id_number_masked",
        "phone_masked",
        "address_masked",
        "home",
    )
    list_filter = ("gender",)
    search_fields = ("name",)
    raw_id_fields = ("home",)
    # Personal data is changed through people.actions (which seal it); here it shows masked.
    readonly_fields = ("id_number_masked", "phone_masked", "address_masked", *PLACED_FIELDS)
    list_select_related = ("home",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Resident)
class ResidentAdmin(AuditedAdmin):
    list_display = ("person", "household", "residence_type", "is_head")
    list_filter = ("residence_type", "is_head")
    search_fields = ("person__name", "household__name")
    raw_id_fields = ("person", "household")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("person", "household")


@admin.register(GridWorker)
class GridWorkerAdmin(AuditedAdmin):
    list_display = ("person", "grid_node", "role", "full_time", "since", "active")
    list_filter = ("role", "full_time", "active")
    search_fields = ("person__name", "grid_node__name", "grid_node__code")
    raw_id_fields = ("person", "grid_node")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("person", "grid_node")


@admin.register(CommunityWorker)
class CommunityWorkerAdmin(AuditedAdmin):
    list_display = ("person", "community_node", "post", "level", "position_title", "since")
    list_filter = ("post", "level")
    search_fields = ("person__name", "community_node__name", "position_title")
    raw_id_fields = ("person", "community_node")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("person", "community_node")


@admin.register(PayScale)
class PayScaleAdmin(AuditedAdmin):
    list_display = ("post", "level", "monthly_pay")
    list_filter = ("post",)
    ordering = ("post", "level")


@admin.register(Leader)
class LeaderAdmin(AuditedAdmin):
    list_display = ("person", "title", "linked_community")
    search_fields = ("person__name", "title", "linked_community__name")
    raw_id_fields = ("person", "linked_community")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("person", "linked_community")


@admin.register(LegalOfficer)
class LegalOfficerAdmin(AuditedAdmin):
    list_display = ("person", "kind", "employer", "serving_node")
    list_filter = ("kind",)
    search_fields = ("person__name", "employer", "serving_node__name")
    raw_id_fields = ("person", "serving_node")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("person", "serving_node")
