"""Background work of points, run by ``db_worker``."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from dangjian.points import actions, selectors


@task()
def expire_points() -> dict[str, Any]:
    """Expire honour points past their date (idempotent; enqueue daily)."""
    return actions.run_expiry()


@task()
def check_ledger() -> dict[str, Any]:
    check = selectors.check_ledger()
    return {
        "ok": check.ok,
        "accounts": check.accounts,
        "movements": check.movements,
        "problems": check.problems,
    }
