"""Appeals (诉求): a resident's report through to a rated result.

A case is placed (``Placed``) at the grid its location falls in, or at the street/city
whose triage queue takes it; its current responsibility is ``tier`` + ``handling_node``
(+ ``assignee_unit`` for a department). Every state change is a ``Transition`` row.
Pre-aggregated ``CaseStat`` rows (per node or department, per day the case came in, per
top-level category) are kept by the actions in the same transaction, so dashboards never
aggregate the case table.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from dangjian.appeals.choices import Channel, Priority, Rating, Status, StreetArea, TaskStatus, Tier
from dangjian.core.models import Placed


class Category(models.Model):
    """Three-level taxonomy (seeded from a provincial classification of citizen messages)."""

    name = models.CharField("名称", max_length=60)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级分类"
    )
    level = models.PositiveSmallIntegerField("级别", default=1)
    code = models.CharField("编码", max_length=20, unique=True)
    enterprise = models.BooleanField("企业诉求（服务企业马上办）", default=False)
    response_hours = models.PositiveSmallIntegerField("签收时限(工作小时)", default=4)
    resolve_days = models.PositiveSmallIntegerField("办结时限(工作日)", default=5)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "诉求分类"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unique_category_name_per_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def includes(self, other: Category) -> bool:
        """This category is ``other`` or one of its ancestors (codes nest: 03 ⊃ 03.12 ⊃ 03.12.04)."""
        return other.code == self.code or other.code.startswith(f"{self.code}.")


def new_tracking_token() -> str:
    return secrets.token_urlsafe(18)


class Case(Placed):
    owner_lookup = "reporter_id"
    # Departments and unit liaisons see the cases assigned to them or their whistle tasks
    # (appeals.selectors), not every case of the territory they are stationed in.
    scope_roles = frozenset(
        {
            "city_admin",
            "leader",
            "street_officer",
            "street_chief",
            "community_worker",
            "grid_worker",
            "inspector",
        }
    )

    number = models.CharField("诉求编号", max_length=24, unique=True)
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    category = models.ForeignKey(Category, models.PROTECT, related_name="cases", verbose_name="分类")
    top_category = models.ForeignKey(Category, models.PROTECT, related_name="+", verbose_name="一级分类")
    priority = models.CharField("紧急程度", max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    title = models.CharField("标题", max_length=120)
    description = models.TextField("内容")
    # Reporter: a person on the platform, or (hotline, anonymous web) a sealed name/phone.
    reporter = models.ForeignKey(
        "people.Person", models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name="反映人"
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="reported_cases"
    )
    anonymous = models.BooleanField("匿名", default=False)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone_enc = models.TextField(blank=True, editable=False)
    contact_phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    located = models.BooleanField("已定位到网格", default=False)
    # Where it is handled now.
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    tier = models.CharField("办理层级", max_length=10, choices=Tier.choices, default=Tier.GRID)
    handling_node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="handled_cases", verbose_name="责任区域"
    )
    assignee_unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name="承办部门/单位",
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name="承办人",
    )
    claimed_by_member = models.ForeignKey(
        "party.PartyMember", models.SET_NULL, null=True, blank=True, related_name="claimed_cases"
    )
    # Deadlines (working time) and milestones.
    ack_due = models.DateTimeField("签收时限", null=True, blank=True)
    resolve_due = models.DateTimeField("办结时限", null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField("评价", max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)
    rework_count = models.PositiveSmallIntegerField("返工次数", default=0)
    closure_reason = models.CharField("关闭原因", max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="merged_cases", verbose_name="并入"
    )
    # Flags kept for the figures (set once, by the actions).
    ack_on_time = models.BooleanField(null=True, blank=True)
    closed_on_time = models.BooleanField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=80, unique=True)
    tracking_token = models.CharField(max_length=40, unique=True, default=new_tracking_token)
    received_on = models.DateField("受理日期", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "诉求"
        indexes = [
            models.Index(fields=["status", "handling_node"]),
            models.Index(fields=["category", "status", "lng", "lat"], name="case_nearby_idx"),
            models.Index(fields=["street", "received_on", "status"], name="case_street_day_idx"),
            models.Index(fields=["community", "received_on", "status"], name="case_community_day_idx"),
            models.Index(fields=["grid", "received_on", "status"], name="case_grid_day_idx"),
            models.Index(fields=["assignee_unit", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Transition(models.Model):
    """One state change: who, when, from, to, note. Never rewritten."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="transitions")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.CharField("操作", max_length=20)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    tier = models.CharField(max_length=10, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "办理流转记录"


class CaseNote(models.Model):
    """Progress notes (处置进展) with optional evidence photos."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="notes")
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    text = models.TextField("进展说明")
    public = models.BooleanField("向反映人公开", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "处置进展"
        ordering = ["at", "id"]


class Photo(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="photos")
    note = models.ForeignKey(CaseNote, models.CASCADE, null=True, blank=True, related_name="photos")
    kind = models.CharField(
        max_length=10, choices=[("report", "反映照片"), ("evidence", "处置照片")], default="report"
    )
    image = models.FileField(upload_to="appeals/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求照片"


class Follower(models.Model):
    """Residents who follow a case instead of filing a duplicate, and reporters of merged cases."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="followers")
    person = models.ForeignKey("people.Person", models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="followed_cases"
    )
    via_merge = models.ForeignKey(Case, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "诉求关注人"
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="follow_once")]


class Whistle(models.Model):
    """街道吹哨: the street convenes departments on a case; the 会商纪要 is kept here."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="whistles")
    street = models.ForeignKey("territory.Node", models.PROTECT, related_name="whistles")
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    convened_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField("吹哨事由")
    minutes = models.TextField("会商纪要", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "街道吹哨"


class WhistleTask(models.Model):
    """部门报到: one department's task on a whistle, with an owner and deadlines."""

    whistle = models.ForeignKey(Whistle, models.CASCADE, related_name="tasks")
    department = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="whistle_tasks", verbose_name="部门"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="whistle_tasks",
        verbose_name="责任人",
    )
    duty = models.CharField("任务", max_length=300)
    report_due = models.DateTimeField("报到时限")
    due = models.DateTimeField("完成时限")
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.CONVENED)
    reported_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField("处置结果", blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        "已升级次数", default=0, help_text="1 = 街长, 2 = 区县"
    )
    street_score = models.PositiveSmallIntegerField("街道评价(1-5)", null=True, blank=True)
    street_comment = models.CharField("评价意见", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "部门报到任务"
        constraints = [
            models.UniqueConstraint(fields=["whistle", "department"], name="one_task_per_department")
        ]


class StreetTaskItem(models.Model):
    """街长制: the street's configurable task list (40 items in three areas)."""

    street = models.ForeignKey("territory.Node", models.CASCADE, related_name="street_task_items")
    area = models.CharField("领域", max_length=12, choices=StreetArea.choices)
    name = models.CharField("事项", max_length=120)
    departments = models.ManyToManyField(
        "units.Unit", related_name="street_task_items", blank=True, verbose_name="责任部门"
    )
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area", "sort", "id"]
        verbose_name = verbose_name_plural = "街长制任务清单"


class CaseStat(models.Model):
    """Pre-aggregated counters per (day received, territory node, top-level category).

    A case counts at every ancestor of where it is placed (city … grid). Each counter is
    attributed to the day the case came in, so every rate over a period is about the cases
    received in that period. ``stats.recount`` rebuilds the same numbers from the cases.

    Each case counts twice: in its day row and in its month row (``monthly``, ``day`` = the
    first of the month), and both under its top category and in the all-categories row
    (``category`` NULL); one UPDATE changes all four. A period is read as its whole months
    plus the days at either edge, and rankings read the all-categories rows, so a year's
    ranking of 750 grids reads ~12 + edge-day rows per grid instead of ~365 × 16.
    """

    day = models.DateField()
    monthly = models.BooleanField(default=False)
    node = models.ForeignKey("territory.Node", models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, models.CASCADE, null=True, related_name="+"
    )  # NULL: all categories
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    dispatched = models.PositiveIntegerField(default=0)
    ack_on_time = models.PositiveIntegerField(default=0)
    handled = models.PositiveIntegerField(default=0)
    reworked = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "诉求统计计数"
        constraints = [
            models.UniqueConstraint(
                fields=["node", "monthly", "day", "category"], name="stat_node_span_day_cat"
            ),
            models.UniqueConstraint(
                fields=["node", "monthly", "day"],
                condition=models.Q(category__isnull=True),
                name="stat_node_span_day_all",
            ),
        ]


class CaseSequence(models.Model):
    """Per-prefix, per-day counter for readable case numbers (BL-20261121-0001)."""

    prefix = models.CharField(max_length=6)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "诉求编号序列"
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="one_sequence_per_day")]
