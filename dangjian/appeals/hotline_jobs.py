"""12345 imports from the staff page, as ``exchange.ImportJob`` rows (file, progress, problems).

The import page of :mod:`dangjian.exchange` already keeps an uploaded workbook, its
progress and its problem list in ``ImportJob``; a 12345 import is one more kind of job
(``kinds == ["hotline"]``) with its own runner, :func:`run_hotline_job`, which calls
:func:`dangjian.appeals.hotline.import_hotline` (validate everything, then write all or
nothing). Small files are imported during the request; files of
``exchange.actions.sync_max_rows()`` rows or more are handed to the worker
(``channel_tasks.run_hotline_import``) and the page polls the job's progress.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from dangjian.appeals import hotline, link_actions
from dangjian.core import audit
from dangjian.exchange import actions as exchange_actions
from dangjian.exchange.models import ImportJob, ImportStatus

log = logging.getLogger(__name__)

KIND = "hotline"
CREATED = "新建诉求"


def hotline_jobs(user: Any) -> Any:
    """The user's own 12345 import jobs, newest first."""
    return ImportJob.objects.filter(user=user, kinds=[KIND])


def _read(job: ImportJob) -> io.BytesIO:
    with job.file.open("rb") as fh:
        return io.BytesIO(fh.read())


class _Progress:
    """Writes progress onto the job row, a few dozen times per phase at most."""

    def __init__(self, job_id: int) -> None:
        self.job_id, self.phase, self.last = job_id, "", 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        step = max(1, total // 40)
        if phase != self.phase or done == total or done - self.last >= step:
            status = ImportStatus.VALIDATING if phase == "validating" else ImportStatus.IMPORTING
            ImportJob.objects.filter(pk=self.job_id).update(
                status=status, processed_rows=done, total_rows=total
            )
            self.phase, self.last = phase, done


def start_hotline_import(*, upload: File, original_name: str, acting_user: Any) -> ImportJob:
    """Record the job; import a small file right away, hand a large one to the worker."""
    from dangjian.appeals.channel_tasks import run_hotline_import

    job = exchange_actions.create_import_job(
        upload=upload, original_name=original_name, acting_user=acting_user
    )
    rows, _, _ = hotline.read_sheet(_read(job))
    ImportJob.objects.filter(pk=job.pk).update(kinds=[KIND], total_rows=len(rows))
    if len(rows) < exchange_actions.sync_max_rows():
        return run_hotline_job(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(ran_in_background=True)
    run_hotline_import.enqueue(job_id=job.pk)
    job.refresh_from_db()
    return job


def run_hotline_job(job_id: int) -> ImportJob:
    """Validate and import a queued 12345 job. Runs once: a retried task finds the job no
    longer queued and leaves it alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED, kinds=[KIND]).update(
        status=ImportStatus.VALIDATING
    )
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    actor = job.user
    created: list[Any] = []
    if actor is None:
        problems = [hotline.Problem(0, "", "导入人账号已不存在，任务未执行").as_dict()]
    else:
        try:
            result = hotline.import_hotline(_read(job), acting_user=actor, progress=_Progress(job.pk))
        except Exception as exc:  # noqa: BLE001 - the job records the failure for the user
            log.exception("hotline import job %s failed", job.pk)
            problems = [hotline.Problem(0, "", f"导入出错，已全部撤销：{exc}").as_dict()]
        else:
            problems = [p.as_dict() for p in result.problems]
            created = result.created
            job.total_rows = result.rows
    job.status = ImportStatus.FAILED if problems else ImportStatus.DONE
    job.errors = problems
    job.summary = {} if problems else {CREATED: len(created)}
    job.processed_rows = job.total_rows if not problems else 0
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "processed_rows", "total_rows", "finished_at"])
    audit.record(actor, "appeals.hotline_import.finish", job)
    if created and link_actions.sms_available():
        _send_links([c.pk for c in created if c.contact_phone_enc], actor)
    return job


def _send_links(case_ids: list[int], actor: Any) -> None:
    """Each new work order's caller gets the private tracking link by SMS (when configured)."""
    from dangjian.appeals.models import Case

    for case in Case.objects.filter(pk__in=case_ids):
        try:
            with transaction.atomic():
                link_actions.send_link_sms(case, acting_user=None)
        except Exception:  # noqa: BLE001 - a failed SMS never undoes the import
            log.exception("tracking link SMS for case %s not queued (importer %s)", case.pk, actor)
