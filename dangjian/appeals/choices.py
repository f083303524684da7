from django.db import models


class Channel(models.TextChoices):
    RESIDENT = "resident", "有话想说（居民）"
    PATROL = "patrol", "网格巡查"
    ENTERPRISE = "enterprise", "服务企业马上办"
    HOTLINE = "hotline", "12345 热线"
    API = "api", "开放接口"
    OPEN311 = "open311", "Open311"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    ACCEPTED = "accepted", "已立案待派遣"
    PUBLISHED = "published", "待认领"
    DISPATCHED = "dispatched", "已派遣待签收"
    IN_PROGRESS = "in_progress", "处置中"
    WHISTLED = "whistled", "吹哨会商中"
    HANDLED = "handled", "已反馈待核查"
    CLOSED = "closed", "已办结待评价"
    RATED = "rated", "已评价"
    REJECTED = "rejected", "不予受理"
    DUPLICATE = "duplicate", "重复件"
    NOT_OURS = "not_ours", "非本级职责"
    CANCELLED = "cancelled", "已撤销"


FINAL_STATES = {Status.RATED, Status.REJECTED, Status.DUPLICATE, Status.NOT_OURS, Status.CANCELLED}
OPEN_STATES = {s for s in Status if s not in FINAL_STATES and s != Status.CLOSED}


class Event(models.TextChoices):
    ACCEPT = "accept", "受理立案"
    REJECT = "reject", "不予受理"
    DISPATCH = "dispatch", "派遣"
    PUBLISH = "publish", "发布认领"
    CLAIM = "claim", "认领"
    ACKNOWLEDGE = "acknowledge", "签收"
    SEND_BACK = "send_back", "退回"
    ESCALATE = "escalate", "上报上一级"
    WHISTLE = "whistle", "吹哨"
    FEEDBACK = "feedback", "处置反馈"
    VERIFY_PASS = "verify_pass", "核查通过（办结）"
    VERIFY_RETURN = "verify_return", "核查退回（返工）"
    RATE = "rate", "评价"
    REOPEN = "reopen", "不满意重办"
    CLOSE_DUPLICATE = "close_duplicate", "按重复件关闭"
    CLOSE_NOT_OURS = "close_not_ours", "非本级职责关闭"
    CANCEL = "cancel", "撤销"


class Tier(models.TextChoices):
    """小事一格解决 → 社区 → 街道吹哨 → 部门/区县."""

    GRID = "grid", "网格"
    COMMUNITY = "community", "社区"
    STREET = "street", "街道"
    COUNTY = "county", "县(市、区)"
    CITY = "city", "市"


TIER_ORDER = [Tier.GRID, Tier.COMMUNITY, Tier.STREET, Tier.COUNTY, Tier.CITY]


class Priority(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    EMERGENCY = "emergency", "特急"


# Deadline factors per priority (applied to the category's response hours and resolve days).
PRIORITY_FACTOR = {Priority.NORMAL: 1.0, Priority.URGENT: 0.5, Priority.EMERGENCY: 0.25}


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Actor(models.TextChoices):
    """Who may fire an event, relative to a case."""

    DISPATCHER = "dispatcher", "受理派遣人员（当前层级）"
    HANDLER = "handler", "承办人"
    VERIFIER = "verifier", "核查人员"
    REPORTER = "reporter", "反映人"
    CLAIMER = "claimer", "认领的单位或党员"
    STREET = "street", "街道（吹哨）"
    SYSTEM = "system", "系统"


class TaskStatus(models.TextChoices):
    CONVENED = "convened", "待报到"
    REPORTED = "reported", "已报到处置中"
    DONE = "done", "已完成"


class StreetArea(models.TextChoices):
    """街长制 task list areas (seed 002)."""

    ENFORCEMENT = "enforcement", "综合执法"
    EMERGENCY = "emergency", "应急处理"
    ORDER = "order", "秩序维护"
