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
