from django.db import models


class UnitKind(models.TextChoices):
    AGENCY = "agency", "机关"
    INSTITUTION = "institution", "事业单位"
    SOE = "soe", "国有企业"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    PRIVATE = "private", "非公企业"  # 两新组织: 新经济组织
    SOCIAL_ORG = "social_org", "社会组织"  # 两新组织: 新社会组织
    PROPERTY = "property", "物业企业"
    DEPARTMENT = "department", "职能部门"  # 公安、交警、消防、市场监管、城管、环卫 …


TWO_NEW_KINDS = {UnitKind.PRIVATE, UnitKind.SOCIAL_ORG}
