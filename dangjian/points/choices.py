from django.db import models


class Ledger(models.TextChoices):
    HONOUR = "honour", "荣誉积分"
    TIMEBANK = "timebank", "时间银行"


class AccountKind(models.TextChoices):
    PERSON = "person", "个人账户"
    BUDGET = "budget", "年度预算"
    POOL = "pool", "社区互助池"
    REDEMPTION = "redemption", "兑换支出"
    EXPIRY = "expiry", "过期清零"


class MovementKind(models.TextChoices):
    AWARD = "award", "积分奖励"
    REDEEM = "redeem", "积分兑换"
    REFUND = "refund", "兑换退回"
    EXPIRE = "expire", "过期清零"
    EARN = "earn", "存入时长"
    SPEND = "spend", "支取时长"
    REVERSE = "reverse", "冲正"


class OrderStatus(models.TextChoices):
    PLACED = "placed", "待领取"
    PICKED_UP = "picked_up", "已领取"
    CANCELLED = "cancelled", "已取消"
