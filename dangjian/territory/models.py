"""The territory tree 市 → 县(市、区) → 街道(镇) → 社区 → 网格 → 小区 → 楼栋 → 户.

Every node carries its ancestor columns (``Placed``) so scope checks are equality look-ups,
a readable ``path`` of ids for ordering and tree display, and a hierarchical ``code``:
GB/T 2260 for the county (6 digits), then 3 digits per street, community and grid — the
15-digit grid code — and more digits below. Codes are unique and never reused: nodes are
retired, never deleted. Coordinates are GCJ-02 (the system Chinese web maps use).
"""

from __future__ import annotations

from django.db import models

from dangjian.core.models import Placed
from dangjian.territory.choices import GridType, Level, MicroGridKind

COORDINATE_SYSTEM = "GCJ-02"


class Node(Placed):
    level = models.CharField("层级", max_length=12, choices=Level.choices, db_index=True)
    name = models.CharField("名称", max_length=100)
    code = models.CharField("编码", max_length=25, unique=True)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    path = models.CharField("路径", max_length=255, db_index=True, help_text="/祖先id/…/自身id/")
    depth = models.PositiveSmallIntegerField(default=0)
    grid_type = models.CharField("网格类型", max_length=12, choices=GridType.choices, blank=True)
    boundary = models.JSONField("边界(GeoJSON)", null=True, blank=True)
    min_lng = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lng = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField("中心经度", null=True, blank=True)
    lat = models.FloatField("中心纬度", null=True, blank=True)
    households = models.PositiveIntegerField("户数", default=0)
    note = models.CharField("备注", max_length=200, blank=True)
    retired_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "区域节点"
        indexes = [models.Index(fields=["parent", "code"]), models.Index(fields=["level", "retired_at"])]
        constraints = [models.CheckConstraint(condition=~models.Q(code=""), name="node_code_not_empty")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def ancestors(self) -> models.QuerySet[Node]:
        ids = [int(i) for i in self.path.strip("/").split("/") if i][:-1]
        return Node.objects.filter(pk__in=ids).order_by("depth")

    def full_name(self) -> str:
        return "".join(n.name for n in self.ancestors()) + self.name


class MicroGrid(Placed):
    """A party micro-grid (seed 004): a branch ↔ an area, a party group ↔ a compound,
    a member ↔ a responsibility zone (党员责任区, a building or a few households)."""

    kind = models.CharField("类型", max_length=20, choices=MicroGridKind.choices)
    name = models.CharField("名称", max_length=100)
    area = models.ForeignKey(Node, models.PROTECT, related_name="micro_grids", verbose_name="对应区域")
    organization = models.ForeignKey(
        "party.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="micro_grids",
        verbose_name="党组织",
    )
    member = models.ForeignKey(
        "party.PartyMember",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="zones",
        verbose_name="责任党员",
    )
    households = models.PositiveIntegerField("联系户数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "党建微网格"

    def __str__(self) -> str:
        return self.name
