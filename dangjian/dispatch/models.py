"""Smart dispatch (分类派遣): the routing table, every automatic decision, the per-case
signatures the duplicate look-up reads, and the hotspots.

- ``RoutingRule``: category (any level, or every category) × territory node → the
  responsible tier and optional department. The most specific category wins, then the most
  specific territory (``routing.resolve``).
- ``DispatchDecision``: one automatic proposal for a case — model version, top-3 guesses,
  the rule matched, the target, the reasons in Chinese — and what the dispatcher did with it.
- ``CaseSignature``: one row per case with what the duplicate look-up needs (day, spatial
  cell, point, categories, normalised text), indexed on ``(cell, day)`` so the candidates of
  a look-up are one range scan per cell. No database foreign key to the case (the benchmark
  loads signature rows alone); Django still cascades deletes.
- ``Hotspot`` / ``HotspotMember``: clusters recomputed by ``manage.py hotspots``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import Placed


class RoutingTier(models.TextChoices):
    GRID = "grid", "网格"
    COMMUNITY = "community", "社区"
    STREET = "street", "街道"
    COUNTY = "county", "县(市、区)职能部门"


class RoutingRule(Placed):
    """分派规则: where cases of a category in an area go."""

    category = models.ForeignKey(
        "appeals.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="诉求分类（空 = 全部分类）",
    )
    node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="+", verbose_name="适用区域（含下级）"
    )
    tier = models.CharField("责任层级", max_length=10, choices=RoutingTier.choices)
    department = models.ForeignKey(
        "units.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="承办部门"
    )
    response_hours = models.PositiveSmallIntegerField("签收时限提示(工作小时)", null=True, blank=True)
    resolve_days = models.PositiveSmallIntegerField("办结时限提示(工作日)", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["node__path", "category__code", "id"]
        verbose_name = verbose_name_plural = "分派规则"
        constraints = [
            models.UniqueConstraint(
                fields=["node", "category"],
                condition=Q(category__isnull=False),
                name="one_rule_per_node_category",
            ),
            models.UniqueConstraint(
                fields=["node"], condition=Q(category__isnull=True), name="one_default_rule_per_node"
            ),
        ]

    def __str__(self) -> str:
        what = self.category.name if self.category_id and self.category else "全部分类"
        return f"{self.node} · {what} → {self.get_tier_display()}"


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    APPLIED = "applied", "已采用"
    OVERRIDDEN = "overridden", "已改派"
    SUPERSEDED = "superseded", "已失效"


class DispatchDecision(models.Model):
    """One automatic dispatch proposal for a case, with its reasons and its outcome."""

    case = models.ForeignKey("appeals.Case", models.CASCADE, related_name="dispatch_decisions")
    model_version = models.PositiveIntegerField("模型版本", null=True, blank=True)
    guesses = models.JSONField(
        "模型前三候选", default=list, help_text='[{"code", "name", "confidence"}]，置信度 0–1'
    )
    confident = models.BooleanField("可自动建议", default=False)
    rule = models.ForeignKey(
        RoutingRule, models.SET_NULL, null=True, blank=True, related_name="decisions", verbose_name="命中规则"
    )
    rule_label = models.CharField("命中规则（当时）", max_length=200, blank=True)
    category = models.ForeignKey(
        "appeals.Category", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="建议分类"
    )
    tier = models.CharField("建议层级", max_length=10, choices=RoutingTier.choices, blank=True)
    node = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="建议责任区域"
    )
    department = models.ForeignKey(
        "units.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="建议承办部门"
    )
    reasons = models.JSONField("理由", default=list)
    status = models.CharField(
        "状态", max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PROPOSED
    )
    # What the dispatcher chose when overriding.
    chosen_category = models.ForeignKey(
        "appeals.Category", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="改定分类"
    )
    chosen_node = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="改派区域"
    )
    chosen_department = models.ForeignKey(
        "units.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="改派部门"
    )
    note = models.CharField("说明", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "智能分派记录"
        indexes = [models.Index(fields=["case", "-id"], name="decision_case_latest")]

    def __str__(self) -> str:
        return f"分派建议 #{self.pk}（{self.get_status_display()}）"

    @property
    def needs_person(self) -> bool:
        """人工分派: low confidence, or nothing to propose."""
        return not self.confident or (self.node_id is None and self.department_id is None)


class CaseSignature(models.Model):
    """What the duplicate and hotspot look-ups read for one case."""

    case = models.OneToOneField(
        "appeals.Case", models.CASCADE, primary_key=True, db_constraint=False, related_name="signature"
    )
    day = models.DateField()
    cell = models.BigIntegerField(help_text="约 300 米见方的空间格编号（经纬度量化）")
    lng = models.FloatField()
    lat = models.FloatField()
    category_ref = models.IntegerField(help_text="诉求分类编号（不设外键）")
    top_ref = models.IntegerField(help_text="一级分类编号（不设外键）")
    text = models.CharField(max_length=200, help_text="标题 + 内容，去掉称呼和客套话，截断")

    class Meta:
        verbose_name = verbose_name_plural = "诉求查重特征"
        indexes = [models.Index(fields=["cell", "day"], name="signature_cell_day")]


class Hotspot(Placed):
    """热点问题: many appeals on the same problem in one area and period."""

    title = models.CharField("热点", max_length=120)
    top_category = models.ForeignKey(
        "appeals.Category", models.PROTECT, related_name="+", verbose_name="问题领域"
    )
    category = models.ForeignKey(
        "appeals.Category", models.PROTECT, related_name="+", verbose_name="主要分类"
    )
    lead_case = models.ForeignKey(
        "appeals.Case", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="代表诉求"
    )
    lng = models.FloatField()
    lat = models.FloatField()
    radius_m = models.PositiveIntegerField("范围(米)", default=0)
    first_day = models.DateField("首次反映")
    last_day = models.DateField("最近反映")
    cases = models.PositiveIntegerField("诉求件数", default=0)
    reporters = models.PositiveIntegerField("反映人数", default=0)
    support = models.PositiveIntegerField("关注/并件", default=0)
    active_days = models.PositiveIntegerField("反映天数", default=0)
    open_cases = models.PositiveIntegerField("未办结", default=0)
    departments = models.PositiveIntegerField("涉及部门数", default=0)
    heat = models.FloatField("热度指数", default=0, db_index=True)
    suggests_whistle = models.BooleanField("建议吹哨", default=False)
    whistle_reason = models.CharField("吹哨理由", max_length=200, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-heat", "-last_day", "id"]
        verbose_name = verbose_name_plural = "热点问题"

    def __str__(self) -> str:
        return self.title


class HotspotMember(models.Model):
    hotspot = models.ForeignKey(Hotspot, models.CASCADE, related_name="members")
    case = models.ForeignKey("appeals.Case", models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "热点问题诉求"
        constraints = [models.UniqueConstraint(fields=["hotspot", "case"], name="hotspot_member_once")]
