from django.contrib import admin

from dangjian.dispatch.models import DispatchDecision, Hotspot, RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("node", "category", "tier", "department", "active")
    list_filter = ("tier", "active")
    raw_id_fields = (
        "node",
        "category",
        "department",
        "city",
        "county",
        "street",
        "community",
        "grid",
        "compound",
    )


@admin.register(DispatchDecision)
class DispatchDecisionAdmin(admin.ModelAdmin):
    list_display = ("case", "status", "confident", "model_version", "tier", "department", "created_at")
    list_filter = ("status", "confident")
    raw_id_fields = ("case", "rule", "category", "node", "department", "chosen_category", "chosen_node")


@admin.register(Hotspot)
class HotspotAdmin(admin.ModelAdmin):
    list_display = ("title", "heat", "cases", "reporters", "suggests_whistle", "computed_at")
