from django.db import models


class Mode(models.TextChoices):
    REALTIME = "realtime", "实时推送"
    DIGEST = "digest", "每日汇总"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


DEFAULT_DIGEST_HOUR = 18
