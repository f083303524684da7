from django.db import models


class Level(models.TextChoices):
    CITY = "city", "市"
    COUNTY = "county", "县(市、区)"
    STREET = "street", "街道(镇)"
    COMMUNITY = "community", "社区"
    GRID = "grid", "网格"
    COMPOUND = "compound", "小区"
    BUILDING = "building", "楼栋"
    HOUSEHOLD = "household", "户"


# The order of the tree: each level's parent must be the level before it.
LEVEL_ORDER = [c.value for c in Level]
PARENT_LEVEL = {child: parent for parent, child in zip(LEVEL_ORDER, LEVEL_ORDER[1:], strict=False)}


class GridType(models.TextChoices):
    GENERAL = "general", "全科网格"
    SPECIAL = "special", "专属网格"
    PARTY = "party", "党建网格"
    GOVERNANCE = "governance", "综治网格"
    POLICE = "police", "警务网格"
    CITY_MGMT = "city_mgmt", "城市管理网格"


class MicroGridKind(models.TextChoices):
    # seed 004: 党支部对应片区、党小组对应小区、党员对应责任区
    BRANCH_AREA = "branch_area", "党支部—片区"
    GROUP_COMPOUND = "group_compound", "党小组—小区"
    MEMBER_ZONE = "member_zone", "党员—责任区"


# Code width per level: county 6 (GB/T 2260), street +3, community +3, grid +3 = 15 digits.
CODE_LENGTH = {
    "city": 6,
    "county": 6,
    "street": 9,
    "community": 12,
    "grid": 15,
    "compound": 18,
    "building": 21,
    "household": 25,
}
