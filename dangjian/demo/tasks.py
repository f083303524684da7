"""Background work of the demo city, run by ``db_worker`` once the server is up.

Training the demo classifier takes most of a minute; ``dangjian demo`` leaves it to the
worker so that ``make run`` serves its first page sooner. Until the model is active the
platform works without it (分类派遣 falls back to manual dispatch).
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task(priority=50)
def train_demo_classifier(county_id: int) -> dict[str, Any]:
    """Train and activate the demo classifier, then propose a dispatch for each case still
    waiting for one (as ``dangjian demo --classifier now`` does inline)."""
    from dangjian.demo import dispatch as demo_dispatch
    from dangjian.intel import demo as intel_demo
    from dangjian.territory.models import Node

    county = Node.objects.get(pk=county_id)
    seconds = intel_demo.build()
    decided = demo_dispatch.decide_waiting(county)
    return {"seconds": round(seconds, 1), "decisions": decided}


@task(priority=60)
def build_demo_service(county_id: int) -> dict[str, Any]:
    """The slow part of the demo city, built after the server is up: 双报到 (registrations,
    posts, teams, two months of service records with photos). Until it is done every page
    shows "演示数据生成中…" (``demo.context_processors.demo_status``)."""
    from dangjian.demo import service as demo_service
    from dangjian.territory.models import Node

    county = Node.objects.get(pk=county_id)
    built = demo_service.build(county)
    return {"records": built.records, "seconds": round(built.seconds, 1)}


def demo_building() -> bool:
    """Whether a demo build is queued or running in the worker."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=build_demo_service.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()
