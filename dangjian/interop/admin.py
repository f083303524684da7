from django.contrib import admin

from dangjian.interop.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Read-only here: keys are issued and revoked on the keys page or with ``dangjian apikey``."""

    list_display = ["name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
