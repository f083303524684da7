"""Background work of the smart dispatch, run by ``db_worker``."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from dangjian.appeals.models import Case


@task()
def decide_case_task(case_id: int) -> dict[str, Any]:
    """Classify and route a newly submitted case (once; a later call adds nothing)."""
    from dangjian.dispatch import actions
    from dangjian.dispatch.models import DispatchDecision

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return {"case": case_id, "decision": None}
    decision = DispatchDecision.objects.filter(case=case).order_by("-id").first()
    if decision is None:
        decision = actions.decide_case(case, acting_user=None)
    return {"case": case_id, "decision": decision.pk, "confident": decision.confident}


@task()
def recompute_hotspots_task(days: int = 30) -> dict[str, Any]:
    from dangjian.dispatch import actions

    spots = actions.recompute_hotspots(days=days)
    return {"hotspots": len(spots)}


def decide_case_row(case_id: int) -> Any:
    """The unsaved row ``decide_case_task.enqueue(case_id)`` would write, when the task
    backend is the database's (else None), so the intake can write it in its own statement.
    Built as django-tasks-db's ``enqueue`` builds it; ``test_task_row.py`` compares the two."""
    from django_tasks.utils import normalize_json
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = decide_case_task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    backend.validate_task(decide_case_task)
    return DBTaskResult(
        args_kwargs=normalize_json({"args": [case_id], "kwargs": {}}),
        priority=decide_case_task.priority,
        task_path=decide_case_task.module_path,
        queue_name=decide_case_task.queue_name,
        run_after=decide_case_task.run_after,  # type: ignore[misc]  # as the backend does; None → a pre_save default
        backend_name=backend.alias,
    )
