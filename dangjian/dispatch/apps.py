from collections.abc import Callable
from typing import Any

from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "dangjian.dispatch"
    label = "dispatch"
    verbose_name = "分类派遣"

    def ready(self) -> None:
        from dangjian.appeals.signals import case_submitted

        case_submitted.connect(on_case_submitted, dispatch_uid="dispatch.on_case_submitted")


def on_case_submitted(sender: Any, case_id: int, **kwargs: Any) -> list[Any] | Callable[[], Any]:
    """A case is being taken in: classify and route it in the worker. With the database task
    backend the task's row is written in the intake's own statement (nothing to lose, no
    write of its own); with any other backend the task is enqueued once the case is written."""
    from dangjian.dispatch.tasks import decide_case_row, decide_case_task

    row = decide_case_row(case_id)
    if row is not None:
        return [row]
    return lambda: decide_case_task.enqueue(case_id)
