"""Background work of appeals, run by ``db_worker``: the timers (reminders, escalations, 督办)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from dangjian.appeals import timers


@task()
def run_timers() -> dict[str, Any]:
    """One pass of every appeal timer at the current time (idempotent)."""
    return timers.run(timezone.now()).as_dict()
