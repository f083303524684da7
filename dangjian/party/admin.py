from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from dangjian.core.admin import PLACED_FIELDS, AuditedAdmin
from dangjian.party.models import Alliance, CommitteeSeat, Organization, OrgTransfer, PartyMember


class CommitteeSeatInline(admin.TabularInline):
    model = CommitteeSeat
    extra = 0
    raw_id_fields = ("person", "from_unit")


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "is_joint", "node", "parent", "unit", "founded_on")
    list_filter = ("kind", "is_joint")
    search_fields = ("name",)
    raw_id_fields = ("parent", "node", "unit")
    readonly_fields = (*PLACED_FIELDS, "path", "depth")
    list_select_related = ("node", "parent", "unit")
    inlines = [CommitteeSeatInline]


@admin.register(Alliance)
class AllianceAdmin(AuditedAdmin):
    list_display = ("name", "kind", "tier", "node", "lead", "parent")
    list_filter = ("kind", "tier")
    search_fields = ("name",)
    raw_id_fields = ("parent", "node", "lead")
    filter_horizontal = ("members",)
    readonly_fields = PLACED_FIELDS
    list_select_related = ("node", "lead", "parent")


@admin.register(PartyMember)
class PartyMemberAdmin(AuditedAdmin):
    list_display = ("person", "organization", "status", "category", "joined_on", "work_unit")
    list_filter = ("status", "category")
    search_fields = ("person__name", "organization__name")
    raw_id_fields = ("person", "organization", "work_unit")
    readonly_fields = PLACED_FIELDS
    list_select_related = ("person", "organization", "work_unit")


@admin.register(OrgTransfer)
class OrgTransferAdmin(admin.ModelAdmin):
    """Transfers are history: never edited."""

    list_display = ("at", "member", "from_org", "to_org", "reason", "operator")
    search_fields = ("member__person__name", "reason")
    list_select_related = ("member__person", "from_org", "to_org", "operator")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
