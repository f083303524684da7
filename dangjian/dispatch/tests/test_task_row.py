"""The task row the intake writes with a case is the row django-tasks-db's ``enqueue`` writes."""

from __future__ import annotations

from django.db import connection
from django_tasks_db.models import DBTaskResult

from dangjian.core import rawsql
from dangjian.dispatch.tasks import decide_case_row, decide_case_task


def test_the_row_built_for_the_intake_equals_the_row_enqueue_writes(db):
    built = decide_case_row(4242)
    with connection.cursor() as cursor:
        cursor.execute(*rawsql.insert(built))
    ours = DBTaskResult.objects.get(pk=built.pk)
    theirs = DBTaskResult.objects.get(pk=decide_case_task.enqueue(4242).id)
    for field in DBTaskResult._meta.concrete_fields:
        if field.name not in ("id", "enqueued_at"):
            assert getattr(ours, field.attname) == getattr(theirs, field.attname), field.name
    assert ours.task_result.task.func is decide_case_task.func
    assert list(DBTaskResult.objects.ready().order_by("enqueued_at")) == [ours, theirs]


def test_another_task_backend_gets_no_row(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert decide_case_row(4242) is None
