"""Shared model pieces: the placement mixin every scoped record carries, the audit trail
and the log of personal-data reveals."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from dangjian.core.scoping import ScopedQuerySet

# Territory levels a record can be placed under, highest first. Each becomes a nullable
# foreign key on placed records, so "everything under street X" is one indexed equality.
PLACEMENT_LEVELS = ("city", "county", "street", "community", "grid", "compound")


class Placed(models.Model):
    """A record that lies somewhere in the territory tree.

    The ancestor columns are filled by :meth:`place` from the node it belongs to; scope
    checks (``restrict``) filter on them.
    """

    city = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="市"
    )
    county = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="县(市、区)"
    )
    street = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="街道(镇)"
    )
    community = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="社区"
    )
    grid = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="网格"
    )
    compound = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="小区"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def place(self, node: Any) -> None:
        """Copy the placement of ``node`` onto this record.

        ``node`` is a territory ``Node`` (its own column is set too) or any other placed
        record (e.g. an organisation), whose ancestor columns are copied as they are.
        """
        for name in PLACEMENT_LEVELS:
            setattr(self, f"{name}_id", getattr(node, f"{name}_id", None))
        own_level: str | None = getattr(node, "level", None)  # a territory Node places at itself too
        if (
            own_level in PLACEMENT_LEVELS
            and getattr(node, "_meta", None)
            and node._meta.label == "territory.Node"
        ):
            setattr(self, f"{own_level}_id", node.pk)

    @property
    def place_label(self) -> str:
        parts = [getattr(self, lvl) for lvl in ("street", "community", "grid", "compound")]
        return " / ".join(p.name for p in parts if p is not None)


class AuditEvent(models.Model):
    """Every write: who, when, which object, before and after."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField("操作", max_length=40)
    model = models.CharField("对象类型", max_length=60, db_index=True)
    object_id = models.CharField("对象编号", max_length=40, db_index=True)
    object_repr = models.CharField("对象", max_length=200)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    # The client's address (core.clientip) for writes made in a web or API request.
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "操作审计"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class RevealLog(models.Model):
    """A log line for every time a person's protected value was shown unmasked."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, db_index=True)
    field = models.CharField("字段", max_length=40)
    reason = models.CharField("事由", max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "敏感信息查看记录"


class CalendarDay(models.Model):
    """One day of the official holiday calendar entered by hand.

    Overrides what the ``chinese_calendar`` package says for that date: a ``holiday`` is a
    day off (even on a weekday), a ``workday`` is a make-up working day (调休上班, even on
    a weekend). See :mod:`dangjian.core.workcal`.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称", max_length=40, blank=True, help_text="如：国庆节、中秋节")
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日与调休"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name or ''} {self.get_kind_display()}".replace("  ", " ")


class CalendarYear(models.Model):
    """A year whose holiday calendar an administrator has entered by hand.

    With ``complete`` set, the package is ignored for that year: every weekday is a working
    day and every weekend a day off, except the year's :class:`CalendarDay` entries.
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    complete = models.BooleanField(
        "整年已录入", default=True, help_text="勾选后该年只按人工录入的放假与调休安排计算，不再使用内置日历"
    )
    source = models.TextField("依据", blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "节假日年度安排"

    def __str__(self) -> str:
        return f"{self.year}年"
