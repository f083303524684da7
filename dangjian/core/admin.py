"""The Django admin is for the platform administrator (superusers) only.

Day-to-day work happens in the platform's own pages, which go through actions and scope
checks; the admin is a maintenance tool. Every change made here still leaves an audit row
(``AuditedAdmin``), ciphertext and blind indexes are never shown (only masked copies), and
the audit trail itself is read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from dangjian.core import audit, bounds, crypto, workcal
from dangjian.core.actions import do_replace_calendar_year
from dangjian.core.models import PLACEMENT_LEVELS, AuditEvent, CalendarDay, CalendarYear, RevealLog

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
    list_display = ("at", "actor", "action", "model", "object_id", "object_repr", "ip")
    list_filter = ("model", "at")
    search_fields = ("action", "model", "object_id", "object_repr", "ip")
    date_hierarchy = "at"
    list_select_related = ("actor",)


@admin.register(RevealLog)
class RevealLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "model", "object_id", "field", "reason")
    list_filter = ("model", "field", "at")
    search_fields = ("object_id", "reason")
    date_hierarchy = "at"
    list_select_related = ("actor",)


# --- working-day calendar (see core/workcal.py) -------------------------------------------


WEEKDAYS = "一二三四五六日"


def warn_missing_years(request: HttpRequest) -> None:
    """Tell the administrator when this year (or, from November, when the State Council
    usually publishes it, the next year) has no holiday calendar."""
    today = timezone.localdate()
    years = (today.year, today.year + 1) if today.month >= 11 else (today.year,)
    for year in years:
        if workcal.calendar_coverage(year) == "weekends-only":
            messages.warning(
                request,
                f"{year}年的节假日安排尚未录入，办理时限暂时只按周末计算。"
                f"请在“节假日年度安排”中录入，或运行 manage.py calendar_year {year} --file 文件。",
            )


class CalendarYearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Any:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        year = bounds.parse_year(value)
        if year is not None:
            return queryset.filter(date__year=year)
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ("date", "weekday", "kind", "name", "note", "coverage")
    list_filter = ("kind", CalendarYearFilter)
    search_fields = ("name", "note")
    ordering = ("-date",)

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return f"周{WEEKDAYS[obj.date.weekday()]}"

    @admin.display(description="该年日历来源")
    def coverage(self, obj: CalendarDay) -> str:
        return workcal.COVERAGE_LABELS[workcal.calendar_coverage(obj.date.year)]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        warn_missing_years(request)
        return super().changelist_view(request, extra_context)


class CalendarYearForm(forms.ModelForm):
    days_text = forms.CharField(
        label="放假与调休安排",
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 60, "placeholder": "2027-10-01 国庆节 holiday"}),
        help_text=workcal.LINE_FORMAT_HELP + "保存时替换该年全部人工条目。",
    )

    class Meta:
        model = CalendarYear
        fields = ("year", "complete", "source")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            rows = CalendarDay.objects.filter(date__year=self.instance.year).values_list(
                "date", "kind", "name"
            )
            self.fields["days_text"].initial = workcal.format_year_lines(list(rows))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year")
        if year is not None:
            try:
                data["parsed_days"] = workcal.parse_year_lines(data.get("days_text") or "", year)
            except workcal.CalendarInputError as exc:
                self.add_error("days_text", [f"共{len(exc.errors)}行有误，未保存：", *exc.errors])
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    form = CalendarYearForm
    list_display = ("year", "complete", "coverage", "holiday_count", "workday_count", "source")
    list_filter = ("complete",)
    search_fields = ("source",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("year",) if obj is not None else ()

    @admin.display(description="实际使用")
    def coverage(self, obj: CalendarYear) -> str:
        return workcal.COVERAGE_LABELS[workcal.calendar_coverage(obj.year)]

    @admin.display(description="放假天数")
    def holiday_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=CalendarDay.Kind.HOLIDAY).count()

    @admin.display(description="调休上班天数")
    def workday_count(self, obj: CalendarYear) -> int:
        return CalendarDay.objects.filter(date__year=obj.year, kind=CalendarDay.Kind.WORKDAY).count()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        entry = do_replace_calendar_year(
            year=obj.year,
            days=form.cleaned_data.get("parsed_days", []),
            source=obj.source,
            complete=obj.complete,
            acting_user=request.user,
        )
        obj.pk = entry.pk
        obj._state.adding = False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        warn_missing_years(request)
        return super().changelist_view(request, extra_context)


# --- the worker's task queue (django-tasks-db), in Chinese ---------------------------------
# Its field names are translated in dangjian/locale; the columns it computes are named here.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description="任务")
    def task(self, obj: DBTaskResult) -> str:
        return str(obj.task_name)

    @admin.display(description="错误堆栈")
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description="最早执行时间")
    def display_run_after(self, obj: DBTaskResult) -> Any:
        return super().display_run_after(obj)
