from django.db import models


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    WORK_COMMITTEE = "work_committee", "党工委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


# Which kinds may sit under which (a 党小组 has no children; a 党支部 only 党小组).
ALLOWED_CHILDREN: dict[str, set[str]] = {
    # a 党委 sends out 党工委 (街道党工委, 机关工委) as its agencies
    OrgKind.COMMITTEE: {OrgKind.COMMITTEE, OrgKind.WORK_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH},
    OrgKind.WORK_COMMITTEE: {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH},
    OrgKind.GENERAL_BRANCH: {OrgKind.BRANCH},
    OrgKind.BRANCH: {OrgKind.GROUP},
    OrgKind.GROUP: set(),
}


class MemberStatus(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class MemberCategory(models.TextChoices):
    IN_SERVICE = "in_service", "在职党员"
    RETIRED = "retired", "离退休党员"
    MOBILE = "mobile", "流动党员"
    POCKET = "pocket", "口袋党员"  # relation not transferred ("组织关系装在口袋里")


class SeatTitle(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    MEMBER = "member", "委员"
    PART_TIME = "part_time", "兼职委员"


class AllianceKind(models.TextChoices):
    HIERARCHICAL = "hierarchical", "层级党建联盟"
    COMMUNITY = "community", "社区党建联盟"
    INDUSTRY = "industry", "行业党建联盟"


class AllianceTier(models.TextChoices):
    COUNTY = "county", "县级"
    TOWN = "town", "镇(街道)级"
    COMMUNITY = "community", "社区级"
    COMPOUND = "compound", "小区级"
    BUILDING = "building", "楼栋级"
