from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from dangjian.accounts.backends import blocked_for, throttled_message
from dangjian.accounts.models import ApiToken, LoginAttempt, RoleAssignment, User
from dangjian.core.admin import AuditedAdmin, PhoneSearchMixin, ReadOnlyAdmin


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's log-in form, saying so when the shared throttle refused the attempt."""

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            wait = blocked_for(self.request)
            if wait:
                raise ValidationError(throttled_message(wait), code="throttled") from None
            raise


admin.site.login_form = ThrottledAdminAuthenticationForm


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("node", "unit")
    fields = ("role", "node", "unit", "title", "active")


@admin.register(User)
class UserAdmin(PhoneSearchMixin, AuditedAdmin):
    list_display = (
        "name",
        "phone_masked",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "assignments__role")
    search_fields = ("name",)
    fields = (
        "name",
        "phone_masked",
        "person",
        "is_active",
        "is_staff",
        "is_superuser",
        "last_login",
        "date_joined",
    )
    readonly_fields = ("phone_masked", "last_login", "date_joined")
    raw_id_fields = ("person",)
    inlines = [RoleAssignmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Users are created through accounts.actions.create_user (phone sealing, validation).
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("user", "role", "node", "unit", "title", "active", "created_at")
    list_filter = ("role", "active")
    search_fields = ("user__name", "node__name", "title")
    raw_id_fields = ("user", "node", "unit")
    list_select_related = ("user", "node", "unit")


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "ip", "outcome", "entry")
    list_filter = ("outcome", "at")
    search_fields = ("ip",)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # lets the administrator lift a lock-out early


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__name")
    exclude = ("key_hash",)
    list_select_related = ("user",)
