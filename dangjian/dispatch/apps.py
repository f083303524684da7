from typing import Any

from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "dangjian.dispatch"
    label = "dispatch"
    verbose_name = "分类派遣"

    def ready(self) -> None:
        from dangjian.appeals.signals import case_submitted

        case_submitted.connect(on_case_submitted, dispatch_uid="dispatch.on_case_submitted")


def on_case_submitted(sender: Any, case_id: int, **kwargs: Any) -> None:
    """A case was taken in (inside its transaction): enqueue classifying and routing it for the worker."""
    from dangjian.dispatch.tasks import decide_case_task

    decide_case_task.enqueue(case_id)
