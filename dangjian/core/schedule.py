"""What the ``timers`` loop enqueues for the worker, and how often.

Every periodic job of the platform is one row here: the task (a django-tasks ``Task``,
imported by path so this table has no app imports), and the seconds between two runs.
Each job is idempotent, so a restarted loop that enqueues everything at once does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any


@dataclass(frozen=True)
class Job:
    label: str
    task: str  # "module:attribute" of a django-tasks task
    every: int  # seconds

    def load(self) -> Any:
        module, name = self.task.split(":")
        return getattr(import_module(module), name)


SCHEDULE = (
    Job("诉求时限（提醒、自动上报、报到升级、督办）", "dangjian.appeals.tasks:run_timers", 60),
    Job("心愿超时未认领提醒", "dangjian.needs.tasks:run_timers", 15 * 60),
    Job("热点问题重新计算", "dangjian.dispatch.tasks:recompute_hotspots_task", 30 * 60),
    Job("积分到期清零", "dangjian.points.tasks:expire_points", 6 * 3600),
    Job("积分账本核对", "dangjian.points.tasks:check_ledger", 24 * 3600),
    Job("登录记录过期清理", "dangjian.accounts.tasks:prune_login_attempts", 24 * 3600),
)


def due(now: float, last: dict[str, float], schedule: tuple[Job, ...] = SCHEDULE) -> list[Job]:
    """The jobs whose interval has passed since they were last enqueued (never: at once)."""
    return [job for job in schedule if now - last.get(job.task, float("-inf")) >= job.every]
