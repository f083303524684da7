"""Service positions (阵地): party-and-people service centres at five levels, shared
activity places and unit venues opened to residents, with the area-standard check."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from dangjian.core.models import Placed
from dangjian.venues.choices import (
    COMMUNITY_MIN_AREA,
    COMPOUND_AREA_CAP,
    COMPOUND_AREA_PER_100_HOUSEHOLDS,
    CenterLevel,
    PositionKind,
)


@dataclass(frozen=True)
class AreaCheck:
    applies: bool
    compliant: bool
    required: Decimal | None
    rule: str

    @property
    def label(self) -> str:
        if not self.applies:
            return "不适用"
        return "达标" if self.compliant else "未达标"


def required_area(level: str, households: int) -> tuple[Decimal | None, str]:
    if level == CenterLevel.COMMUNITY:
        return Decimal(COMMUNITY_MIN_AREA), f"社区党群服务中心面积不少于 {COMMUNITY_MIN_AREA} m²"
    if level == CenterLevel.COMPOUND:
        per_households = Decimal(COMPOUND_AREA_PER_100_HOUSEHOLDS) * Decimal(households) / Decimal(100)
        need = min(per_households, Decimal(COMPOUND_AREA_CAP))
        return need.quantize(Decimal("0.01")), (
            f"小区按每百户 {COMPOUND_AREA_PER_100_HOUSEHOLDS} m²（{households} 户需 {per_households:.0f} m²），"
            f"总面积达 {COMPOUND_AREA_CAP} m² 即达标"
        )
    return None, "该层级无面积标准"


class ServicePosition(Placed):
    name = models.CharField("阵地名称", max_length=120)
    kind = models.CharField("类型", max_length=12, choices=PositionKind.choices, default=PositionKind.CENTER)
    level = models.CharField("层级", max_length=12, choices=CenterLevel.choices, blank=True)
    node = models.ForeignKey(
        "territory.Node", models.PROTECT, related_name="positions", verbose_name="所在区域"
    )
    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, null=True, blank=True, related_name="venues", verbose_name="所属单位"
    )
    floor_area = models.DecimalField("面积(m²)", max_digits=9, decimal_places=2)
    functions = models.JSONField("功能室", default=list, blank=True)
    opening_hours = models.CharField("开放时间", max_length=120, blank=True)
    open_to_public = models.BooleanField("向群众开放", default=True)
    address = models.CharField("地址", max_length=200, blank=True)
    lng = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = verbose_name_plural = "服务阵地"

    def __str__(self) -> str:
        return self.name

    @property
    def households_served(self) -> int:
        return self.node.households if self.node_id else 0

    def area_check(self) -> AreaCheck:
        need, rule = required_area(self.level, self.households_served)
        if need is None or self.kind != PositionKind.CENTER:
            return AreaCheck(applies=False, compliant=True, required=None, rule=rule)
        return AreaCheck(applies=True, compliant=Decimal(self.floor_area) >= need, required=need, rule=rule)
