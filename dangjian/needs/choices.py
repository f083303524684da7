"""Choices of the needs module (为民红绳 / 微心愿, 五单一体)."""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    WISH = "wish", "微心愿"
    FAMILY = "family", "家庭帮扶"
    PUBLIC = "public", "公共需求"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待审核"  # 群众点单
    PUBLISHED = "published", "已上墙"  # 社区审核通过，上心愿墙
    ORDERED = "ordered", "支部已下单"  # 支部下单
    CLAIMED = "claimed", "已接单"  # 党员接单
    FULFILLED = "fulfilled", "已完成待确认"
    CONFIRMED = "confirmed", "已确认"
    RATED = "rated", "已评价"
    REJECTED = "rejected", "未通过"
    CANCELLED = "cancelled", "已撤销"


class Event(models.TextChoices):
    PUBLISH = "publish", "审核上墙"
    REJECT = "reject", "退回"
    ORDER = "order", "支部下单"
    CLAIM = "claim", "接单"
    ASSIGN = "assign", "指派接单"
    RELEASE = "release", "退单"
    FUND = "fund", "机关买单"
    FULFIL = "fulfil", "完成并上传凭证"
    RETURN = "return", "未完成退回"
    CONFIRM = "confirm", "确认完成"
    RATE = "rate", "评价"
    WITHDRAW = "withdraw", "本人撤回"
    CANCEL = "cancel", "撤销"


class Actor(models.TextChoices):
    """Who someone is with respect to one need (see ``needs.access.actor_kinds``)."""

    RESIDENT = "resident", "许愿群众"  # the beneficiary, or the one who posted it
    PROXY = "proxy", "代办网格员"  # grid/community staff acting for a resident without a phone
    REVIEWER = "reviewer", "社区审核"
    BRANCH = "branch", "党支部"
    CLAIMER = "claimer", "可接单者"
    HANDLER = "handler", "接单人"
    FUNDER = "funder", "买单单位"
    SYSTEM = "system", "系统"


class ClaimerKind(models.TextChoices):
    MEMBER = "member", "党员"
    UNIT = "unit", "驻区单位"
    TEAM = "team", "志愿服务队"
    SOCIAL = "social", "社会组织"


class Skill(models.TextChoices):
    """Skills a need asks for, named after the posts of 双报到 (服务岗位)."""

    ARTS = "arts", "文艺宣传"
    TUTORING = "tutoring", "教育辅导"
    SECURITY = "security", "安全保卫"
    HEALTH = "health", "健康教育"
    LEGAL = "legal", "法律咨询"
    ENVIRONMENT = "environment", "环境保护"
    TRAINING = "training", "技术培训"
    DISABILITY = "disability", "扶弱助残"
    REPAIR = "repair", "维修帮办"
    DONATION = "donation", "物资捐助"


SKILL_LABELS = dict(Skill.choices)
OPEN_STATES = frozenset(
    {Status.SUBMITTED, Status.PUBLISHED, Status.ORDERED, Status.CLAIMED, Status.FULFILLED}
)
WAITING_STATES = frozenset({Status.PUBLISHED, Status.ORDERED})  # on the wall, nobody has taken it
CLAIM_LOAD_STATES = frozenset({Status.CLAIMED, Status.FULFILLED})  # counts against the load cap
DONE_STATES = frozenset({Status.CONFIRMED, Status.RATED})

# Bootstrap colour of each state's badge.
STATUS_BADGE = {
    Status.SUBMITTED: "warning",
    Status.PUBLISHED: "danger",
    Status.ORDERED: "danger",
    Status.CLAIMED: "primary",
    Status.FULFILLED: "info",
    Status.CONFIRMED: "success",
    Status.RATED: "success",
    Status.REJECTED: "secondary",
    Status.CANCELLED: "secondary",
}
