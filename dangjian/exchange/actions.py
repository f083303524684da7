"""Every write to import jobs. The imported records themselves are written by
:mod:`dangjian.exchange.importers` through the other apps' actions."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.exchange import importers
from dangjian.exchange.models import ImportJob, ImportStatus

log = logging.getLogger(__name__)

# Files with fewer data rows than this are imported in the request; larger ones by the worker.
SYNC_MAX_ROWS = 500


def sync_max_rows() -> int:
    return int(getattr(settings, "IMPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS))


@transaction.atomic
def create_import_job(
    *, upload: File, original_name: str, acting_user: Any, as_system: bool = False
) -> ImportJob:
    """Store the uploaded file and record a queued job (``acting_user`` None only as the system)."""
    if acting_user is None and not as_system:
        raise ValueError("网页导入必须有导入人")
    job = ImportJob(
        user=acting_user if getattr(acting_user, "pk", None) else None,
        as_system=as_system,
        original_name=original_name[:200],
    )
    job.file.save(original_name[-100:] or "import.xlsx", upload, save=False)
    job.save()
    audit.record(acting_user, "exchange.import.create", job)
    return job


def _read(job: ImportJob) -> io.BytesIO:
    with job.file.open("rb") as fh:
        return io.BytesIO(fh.read())


def count_job_rows(job: ImportJob) -> int:
    total = importers.count_rows(_read(job))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
    job.total_rows = total
    return total


class _Reporter:
    """Writes progress onto the job row, a few dozen times per phase at most."""

    def __init__(self, job_id: int, forward: importers.ProgressFn | None = None):
        self.job_id, self.forward = job_id, forward
        self.phase = ""
        self.last = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.forward is not None:
            self.forward(phase, done, total)
        step = max(1, total // 40)
        if phase != self.phase or done == total or done - self.last >= step:
            status = ImportStatus.VALIDATING if phase == "validating" else ImportStatus.IMPORTING
            ImportJob.objects.filter(pk=self.job_id).update(
                status=status, processed_rows=done, total_rows=total
            )
            self.phase, self.last = phase, done


def run_import_job(job_id: int, *, progress: importers.ProgressFn | None = None) -> ImportJob:
    """Validate and import a queued job's workbook. Runs once: a second call (a retried
    task) finds the job no longer queued and leaves it alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.VALIDATING
    )
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    actor = job.user
    problems: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    kinds: list[str] = []
    if actor is None and not job.as_system:
        problems = [importers.Problem("", 0, "", "导入人账号已不存在，任务未执行").as_dict()]
    else:
        try:
            outcome = importers.import_workbook(
                _read(job), acting_user=actor, progress=_Reporter(job.pk, progress)
            )
        except Exception as exc:  # noqa: BLE001 - the job records the failure for the user
            log.exception("import job %s failed", job.pk)
            problems = [importers.Problem("", 0, "", f"导入出错，已全部撤销：{exc}").as_dict()]
        else:
            problems = [p.as_dict() for p in outcome.problems]
            counts, kinds = outcome.counts, outcome.kinds
            job.total_rows = outcome.total_rows
    job.status = ImportStatus.FAILED if problems else ImportStatus.DONE
    job.errors = problems
    job.summary = counts
    job.kinds = kinds
    job.processed_rows = job.total_rows if not problems else 0
    job.finished_at = timezone.now()
    job.save(
        update_fields=["status", "errors", "summary", "kinds", "processed_rows", "total_rows", "finished_at"]
    )
    audit.record(actor, "exchange.import.finish", job)
    return job


def start_import(*, upload: File, original_name: str, acting_user: Any) -> ImportJob:
    """Record the job; import small files right away, hand large ones to the worker."""
    from dangjian.exchange.tasks import run_import

    job = create_import_job(upload=upload, original_name=original_name, acting_user=acting_user)
    if count_job_rows(job) < sync_max_rows():
        return run_import_job(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(ran_in_background=True)
    run_import.enqueue(job_id=job.pk)
    job.refresh_from_db()
    return job
