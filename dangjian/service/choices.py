"""Choices of 双报到, posts, service records, volunteer teams and the formalism guards."""

from django.db import models


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", "待社区确认"
    CONFIRMED = "confirmed", "已报到"
    REJECTED = "rejected", "已退回"
    ENDED = "ended", "已结束"


# A member or unit holds at most one registration in these states per community.
LIVE_REGISTRATION = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)


class PostKind(models.TextChoices):
    """The post catalogue (FEATURES F4.2; seeds 000 陆川/容县, 003, 004)."""

    ARTS = "arts", "文艺宣传岗"
    TUTORING = "tutoring", "教育辅导岗"
    SECURITY = "security", "安全保卫岗"
    HEALTH = "health", "健康教育岗"
    LEGAL = "legal", "法律咨询岗"
    ENVIRONMENT = "environment", "环境保护岗"
    TRAINING = "training", "技术培训岗"
    DISABILITY = "disability", "扶弱助残岗"
    BUILDING_HEAD = "building_head", "红管家 楼栋长"
    GREEN_AREA = "green_area", "红管家 绿化责任区"
    MEMBER_AREA = "member_area", "党员责任区"
    PIONEER = "pioneer", "党员先锋岗"


class ClaimStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    RELEASED = "released", "已退岗"


class Shift(models.TextChoices):
    MORNING = "am", "上午"
    AFTERNOON = "pm", "下午"
    EVENING = "eve", "晚上"
    DAY = "day", "全天"


class TeamKind(models.TextChoices):
    """Team kinds named in seed 004 (科普宣传、法律援助、医疗卫生) and the 红管家 of seed 000."""

    PARTY_VOLUNTEER = "party_volunteer", "党员志愿者服务队"
    SCIENCE = "science", "科普宣传服务队"
    LEGAL_AID = "legal_aid", "法律援助服务队"
    MEDICAL = "medical", "医疗卫生服务队"
    RED_STEWARD = "red_steward", "红管家服务队"
    PROPERTY = "property", "红色物业服务队"
    PIONEER = "pioneer", "党员先锋服务队"


class Badge(models.TextChoices):
    RED_HAT = "red_hat", "红帽子"
    RED_VEST = "red_vest", "红马甲"
    NONE = "", "无"


class ActivityCategory(models.TextChoices):
    """Seed 004 speaks of “基层党建类、便民服务类等8类” but names only these two; the other
    six are not in the sources, so they are not invented here (see README)."""

    PARTY_BUILDING = "party_building", "基层党建类"
    CONVENIENCE = "convenience", "便民服务类"
    OTHER = "other", "其他类"


class ActivityStep(models.TextChoices):
    """The five steps of volunteer service (seed 004: 服务收集、分配、分解、开展、反馈)."""

    COLLECTED = "collected", "服务收集"
    ASSIGNED = "assigned", "分配"
    DECOMPOSED = "decomposed", "分解"
    UNDERWAY = "underway", "开展"
    FED_BACK = "fed_back", "反馈"
    CANCELLED = "cancelled", "已取消"


class ActivityEvent(models.TextChoices):
    ASSIGN = "assign", "分配给服务队"
    DECOMPOSE = "decompose", "分解任务"
    START = "start", "开展服务"
    FEED_BACK = "feed_back", "反馈结果"
    REASSIGN = "reassign", "退回重新分配"
    CANCEL = "cancel", "取消"


class RecordStatus(models.TextChoices):
    SUBMITTED = "submitted", "待核实"
    VERIFIED = "verified", "已核实"
    RETURNED = "returned", "已退回"


class FlagKind(models.TextChoices):
    PHOTO_REUSE = "photo_reuse", "照片重复使用"
    MONTH_END_BURST = "month_end_burst", "月底突击记时"
    OVERLAP = "overlap", "服务时间重叠"


class FlagStatus(models.TextChoices):
    OPEN = "open", "待复核"
    CONFIRMED = "confirmed", "确认存在问题"
    CLEARED = "cleared", "已排除"
