"""Background work of accounts, run by ``db_worker``."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from dangjian.accounts import actions


@task()
def prune_login_attempts() -> dict[str, Any]:
    """Drop log-in records past their retention (idempotent; enqueue daily)."""
    return {"deleted": actions.prune_login_attempts()}
