from django.db import models


class CenterLevel(models.TextChoices):
    """The five levels of 党群服务中心 (市—县—街道—社区—小区/网格)."""

    CITY = "city", "市级党群服务中心"
    COUNTY = "county", "县级党群服务中心"
    STREET = "street", "街道党群服务中心"
    COMMUNITY = "community", "社区党群服务中心"
    COMPOUND = "compound", "小区（网格）党群服务站"


class PositionKind(models.TextChoices):
    CENTER = "center", "党群服务中心"
    SHARED = "shared", "共享活动场所"
    UNIT_VENUE = "unit_venue", "单位开放场所"
    STATION = "station", "红色驿站"


# 一厅六室两栏两中心 and the other functions the seeds name.
FUNCTIONS = [
    "一站式服务大厅",
    "党员活动室",
    "党代表工作室",
    "职工之家",
    "青年之家",
    "妇女之家",
    "儿童阅览室",
    "文体活动室",
    "议事协商室",
    "调解室",
    "心理辅导室",
    "党务公开栏",
    "居务公开栏",
    "日间照料中心",
    "综治中心",
    "图书室",
    "名人服务工作室",
]

# 一厅六室两栏两中心: the functions every standard community centre has (seed 000, 北流 100%).
ONE_HALL_SIX_ROOMS = [
    "一站式服务大厅",
    "党员活动室",
    "党代表工作室",
    "议事协商室",
    "调解室",
    "文体活动室",
    "图书室",
    "党务公开栏",
    "居务公开栏",
    "日间照料中心",
    "综治中心",
]

# Area standards (seeds 001/002): community ≥ 500 m²; compound ≥ 30 m² per 100 households
# or ≥ 300 m² in total.
COMMUNITY_MIN_AREA = 500
COMPOUND_AREA_PER_100_HOUSEHOLDS = 30
COMPOUND_AREA_CAP = 300
