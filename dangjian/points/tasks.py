"""Background work of points, run by ``db_worker``."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from dangjian.points import actions, selectors

log = logging.getLogger(__name__)


@task()
def expire_points() -> dict[str, Any]:
    """Expire honour points past their date (idempotent; enqueue daily)."""
    return actions.run_expiry()


@task()
def check_ledger() -> dict[str, Any]:
    """Prove the ledgers daily; any problem (a drifted balance, a person over a rule's
    yearly cap …) is logged as an error for the operators, as ``dangjian points check`` shows it."""
    check = selectors.check_ledger()
    for problem in check.problems:
        log.error("积分账本核对未通过：%s", problem)
    return {
        "ok": check.ok,
        "accounts": check.accounts,
        "movements": check.movements,
        "problems": check.problems,
    }
