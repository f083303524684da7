from django.contrib import admin

from dangjian.intel.models import ClassifierVersion, Override


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(admin.ModelAdmin):
    list_display = (
        "version",
        "active",
        "trained_at",
        "variant",
        "training_size",
        "macro_f1",
        "threshold",
        "source",
    )
    list_filter = ("active", "variant")
    exclude = ("pipeline",)
    readonly_fields = [f.name for f in ClassifierVersion._meta.fields if f.name != "pipeline"]

    def has_add_permission(self, request: object) -> bool:  # versions come from `dangjian intel train`
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    list_display = ("case", "predicted_code", "chosen_code", "by", "at", "model_version")
    raw_id_fields = ("case", "by", "model_version")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
