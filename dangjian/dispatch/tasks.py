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
