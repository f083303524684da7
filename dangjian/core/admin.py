"""The Django admin is for the platform administrator (superusers) only.

Day-to-day work happens in the platform's own pages, which go through actions and scope
checks; the admin is a maintenance tool. Every change made here still leaves an audit row
(``AuditedAdmin``), ciphertext and blind indexes are never shown (only masked copies), and
the audit trail itself is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from dangjian.core import audit, crypto
from dangjian.core.models import PLACEMENT_LEVELS, AuditEvent, RevealLog

admin.site.site_header = "智慧党建平台管理后台"
admin.site.site_title = "智慧党建平台管理后台"
admin.site.index_title = "平台数据维护"


def superuser_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = superuser_only  # type: ignore[method-assign]

# Placement columns are derived from the node by ``Placed.place``; never typed in.
PLACED_FIELDS = tuple(PLACEMENT_LEVELS)


def secret_fields(model: type[Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name.endswith(("_enc", "_hash"))]


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes leave an audit row like any action does."""

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*(super().get_exclude(request, obj) or []), *secret_fields(self.model)]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj)._default_manager.filter(pk=obj.pk).first()) if change else None
        super().save_model(request, obj, form, change)
        verb = "change" if change else "create"
        audit.record(request.user, f"admin.{obj._meta.label_lower}.{verb}", obj, before=before)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(request.user, f"admin.{obj._meta.label_lower}.delete", obj, after=None)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            audit.record(request.user, f"admin.{obj._meta.label_lower}.delete", obj, after=None)
        super().delete_queryset(request, queryset)


class PhoneSearchMixin:
    """Search a sealed phone number by its blind index when the term looks like a phone."""

    phone_hash_field = "phone_hash"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        phone = crypto.normalise_phone(search_term or "")
        if crypto.is_valid_phone(phone):
            return queryset.filter(**{self.phone_hash_field: crypto.lookup_hash("phone", phone)}), False
        return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "model", "object_id", "object_repr")
    list_filter = ("model", "at")
    search_fields = ("action", "model", "object_id", "object_repr")
    date_hierarchy = "at"
    list_select_related = ("actor",)


@admin.register(RevealLog)
class RevealLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "model", "object_id", "field", "reason")
    list_filter = ("model", "field", "at")
    search_fields = ("object_id", "reason")
    date_hierarchy = "at"
    list_select_related = ("actor",)
