"""`dangjian demo` leaves the classifier to the worker: queued on commit, trained by the task.

The build itself trains nothing and proposes no dispatch; the queued task (run here as the
worker runs it) activates a classifier and proposes a dispatch for each waiting case.
"""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from dangjian.appeals.models import Case
from dangjian.demo import beiliu
from dangjian.demo import dispatch as demo_dispatch
from dangjian.demo.tasks import train_demo_classifier
from dangjian.dispatch.actions import DISPATCHABLE
from dangjian.dispatch.models import DispatchDecision
from dangjian.intel.models import ClassifierVersion
from dangjian.territory import geo


def test_it_queues_the_training_and_the_task_trains_and_proposes(db, django_capture_on_commit_callbacks):
    geo.invalidate()
    with django_capture_on_commit_callbacks(execute=True):
        city = beiliu.build(residents=40, cases=40)
    geo.invalidate()
    assert not ClassifierVersion.objects.exists()
    waiting = Case.objects.filter(county=city.county, status__in=DISPATCHABLE)
    assert waiting.exists() and not DispatchDecision.objects.filter(case__in=waiting).exists()
    queued = DBTaskResult.objects.get(task_path=train_demo_classifier.module_path)
    assert queued.args_kwargs["args"] == [city.county.pk]

    result = train_demo_classifier.call(city.county.pk)

    version = ClassifierVersion.objects.get(active=True)
    assert "演示已办理诉求" in version.source
    assert result["decisions"] == waiting.count()
    decisions = DispatchDecision.objects.filter(case__in=waiting)
    assert decisions.count() == waiting.count()
    assert all(d.model_version == version.version for d in decisions)
    assert demo_dispatch.decide_waiting(city.county) == 0  # once per case
