"""Background work of needs, run by ``db_worker``: the unclaimed-need alert."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from dangjian.needs import timers


@task()
def run_timers() -> dict[str, Any]:
    """One pass of the unclaimed-need alert at the current time (idempotent)."""
    return timers.run(timezone.now()).as_dict()
