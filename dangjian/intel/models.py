"""Classifier versions (the fitted pipeline stored in the database) and staff overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ClassifierVersion(models.Model):
    """One trained text classifier. The platform uses the newest active one (``classify``).

    The fitted scikit-learn pipeline is stored as joblib bytes in the row itself, with its
    SHA-256, so every process (web, worker, console) loads exactly what was trained and a
    damaged blob is refused rather than used.
    """

    version = models.PositiveIntegerField("版本号", unique=True)
    trained_at = models.DateTimeField("训练时间", auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="训练人",
    )
    source = models.CharField("训练数据来源", max_length=200)
    variant = models.CharField("模型变体", max_length=40)
    label_level = models.PositiveSmallIntegerField("标签级别", default=1)
    classes = models.JSONField("类别编码", default=list)
    class_names = models.JSONField("类别名称", default=list)
    training_size = models.PositiveIntegerField("训练样本数", default=0)
    overrides_used = models.PositiveIntegerField("采用的人工改判数", default=0)
    evaluation = models.JSONField("评估结果", default=dict)
    macro_f1 = models.FloatField("宏平均 F1", null=True, blank=True)
    threshold = models.FloatField("置信度阈值", default=0.5)
    active = models.BooleanField("启用", default=False, db_index=True)
    pipeline = models.BinaryField("模型(joblib)", editable=False)
    checksum = models.CharField("SHA-256", max_length=64, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = verbose_name_plural = "诉求分类模型版本"

    def __str__(self) -> str:
        return f"分类模型 v{self.version}"


class Override(models.Model):
    """Staff chose another category than the model's best guess (改判). Used at next training."""

    case = models.ForeignKey("appeals.Case", models.CASCADE, related_name="class_overrides")
    predicted_code = models.CharField("模型建议", max_length=20, blank=True)
    chosen_code = models.CharField("人工确定", max_length=20)
    model_version = models.ForeignKey(
        ClassifierVersion, models.SET_NULL, null=True, blank=True, related_name="overrides"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="改判人",
    )
    at = models.DateTimeField("改判时间", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "分类人工改判"
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.predicted_code or '—'} → {self.chosen_code}"
