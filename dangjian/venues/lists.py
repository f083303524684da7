"""The service-position list: one spec for the screen and the export, with the area-standard
check (达标/未达标) as a filter that agrees with ``ServicePosition.area_check()``."""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.urls import reverse

from dangjian.core.listing import Column, Filter, ListSpec, lookup_filter
from dangjian.venues.choices import (
    COMMUNITY_MIN_AREA,
    COMPOUND_AREA_CAP,
    COMPOUND_AREA_PER_100_HOUSEHOLDS,
    CenterLevel,
    PositionKind,
)
from dangjian.venues.models import ServicePosition

AREA_OK, AREA_BAD, AREA_NA = "ok", "bad", "na"
AREA_CHOICES = [(AREA_OK, "达标"), (AREA_BAD, "未达标"), (AREA_NA, "不适用")]


def with_area_status(qs: QuerySet) -> QuerySet:
    """Annotate ``area_status`` in SQL, the same rule as ``venues.models.required_area``:
    a community centre needs ≥ 500 m²; a compound station needs min(30 m² per 100 households,
    300 m²), written without division as ``area ≥ 300 or area × 100 ≥ households × 30``."""
    return qs.alias(
        area_x100=F("floor_area") * Value(100),
        need_x100=F("node__households") * Value(COMPOUND_AREA_PER_100_HOUSEHOLDS),
    ).alias(
        area_status=Case(
            When(~Q(kind=PositionKind.CENTER), then=Value(AREA_NA)),
            When(Q(level=CenterLevel.COMMUNITY, floor_area__gte=COMMUNITY_MIN_AREA), then=Value(AREA_OK)),
            When(Q(level=CenterLevel.COMMUNITY), then=Value(AREA_BAD)),
            When(
                Q(level=CenterLevel.COMPOUND)
                & (Q(floor_area__gte=COMPOUND_AREA_CAP) | Q(area_x100__gte=F("need_x100"))),
                then=Value(AREA_OK),
            ),
            When(Q(level=CenterLevel.COMPOUND), then=Value(AREA_BAD)),
            default=Value(AREA_NA),
            output_field=CharField(),
        )
    )


def area_filter(qs: QuerySet, value: str) -> QuerySet:
    return with_area_status(qs).filter(area_status=value)


POSITIONS = ListSpec(
    key="positions",
    title="服务阵地",
    model=ServicePosition,
    icon="house-heart",
    search_placeholder="阵地名称、地址",
    columns=(
        Column("阵地名称", "name", 28),
        Column("类型", "get_kind_display", 14),
        Column("层级", "get_level_display", 20),
        Column("面积(m²)", "floor_area", 10),
        Column("服务户数", "households_served", 10),
        Column("面积标准", lambda p: p.area_check().label, 10),
        Column("功能室", "functions", 36),
        Column("开放时间", "opening_hours", 18),
        Column("向群众开放", "open_to_public", 10),
        Column("所属单位", "unit.name", 20),
        Column("所在区域", "node.name", 14),
        Column("街道(镇)", "street.name", 12),
        Column("社区", "community.name", 12),
    ),
    search_fields=("name", "address"),
    filters=(
        Filter("kind", "类型", list(PositionKind.choices), lookup_filter("kind")),
        Filter("level", "层级", list(CenterLevel.choices), lookup_filter("level")),
        Filter("area", "面积标准", AREA_CHOICES, area_filter),
    ),
    ordering=("level", "name", "pk"),
    select_related=("node", "unit", "street", "community"),
    detail_url=lambda p: reverse("venues:position_detail", args=[p.pk]),
)
