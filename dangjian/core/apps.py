from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django_tasks_db import apps as tasks_db_apps


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from dangjian.core import clientip, ratelimit, workcal

        # Address lists and rates are parsed now: a typo refuses to start, not the first request.
        for setting in clientip.NETWORK_SETTINGS:
            clientip.networks_of(setting)
        for setting in ratelimit.RATE_SETTINGS:
            ratelimit.rate_of(setting)
        from dangjian.core.models import CalendarDay, CalendarYear

        # The working-day calendar caches the hand-entered days; any change clears it.
        for model in (CalendarDay, CalendarYear):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    workcal.clear_cache, sender=model, dispatch_uid=f"workcal-{model.__name__}-{name}"
                )


class TasksDatabaseConfig(tasks_db_apps.TasksAppConfig):
    """django-tasks-db (the worker's task queue) under a Chinese name in the admin; named in
    INSTALLED_APPS (settings.py). ``default = False``: "dangjian.core" still means CoreConfig."""

    default = False
    verbose_name = "后台任务"
