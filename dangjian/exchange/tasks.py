"""Background work: large imports run in the ``db_worker`` process."""

from __future__ import annotations

from django_tasks import task

from dangjian.exchange import actions


@task()
def run_import(job_id: int) -> str:
    return actions.run_import_job(job_id).status
