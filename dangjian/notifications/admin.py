from django.contrib import admin

from dangjian.notifications.models import Delivery, Notification, Preference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = ["channel", "status", "attempts", "last_error", "sent_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind_name", "user", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "kind"]
    raw_id_fields = ["user"]
    inlines = [DeliveryInline]

    @admin.display(description="类别", ordering="kind")
    def kind_name(self, obj: Notification) -> str:
        return obj.kind_label


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "mode", "digest_hour", "channels"]
    list_filter = ["mode"]
    raw_id_fields = ["user"]
    exclude = ["wecom_webhook"]  # holds a secret key
