"""Import jobs: one uploaded workbook, its progress and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    VALIDATING = "validating", "校验中"
    IMPORTING = "importing", "写入中"
    DONE = "done", "已完成"
    FAILED = "failed", "未导入"


RUNNING_STATUSES = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class ImportJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name="导入人",
    )
    as_system = models.BooleanField(
        "以系统身份", default=False, help_text="命令行导入（不受管辖范围限制）；网页导入总有导入人"
    )
    kinds = models.JSONField("数据类别", default=list, blank=True, help_text="工作表对应的数据类别")
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    status = models.CharField(
        "状态", max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    errors = models.JSONField("问题清单", default=list, blank=True)
    summary = models.JSONField("导入结果", default=dict, blank=True, help_text="每类导入的条数")
    ran_in_background = models.BooleanField("后台执行", default=False)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "导入任务"

    def __str__(self) -> str:
        return f"导入 {self.original_name}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def percent(self) -> int:
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def imported_total(self) -> int:
        return sum(int(v) for v in (self.summary or {}).values())
