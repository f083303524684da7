"""In-app notifications, each user's delivery preference, and one delivery row per channel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dangjian.notifications.choices import DEFAULT_DIGEST_HOUR, DeliveryStatus, Mode


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    kind = models.CharField("类别", max_length=64, help_text="如 appeal.dispatched")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    digest_sent_at = models.DateTimeField("汇总发送时间", null=True, blank=True)
    dedupe_key = models.CharField(
        "去重键", max_length=200, null=True, blank=True, help_text="同一接收人同一事件只通知一次"
    )

    class Meta:
        verbose_name = verbose_name_plural = "消息"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_dedupe_per_user"),
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="notification_unread_by_user",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["user", "-created_at"], name="notification_by_user"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        """The kind as a person reads it (the code itself is never shown)."""
        from dangjian.notifications.kinds import label

        return label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_preference",
        verbose_name="用户",
    )
    mode = models.CharField("推送方式", max_length=10, choices=Mode.choices, default=Mode.REALTIME)
    digest_hour = models.PositiveSmallIntegerField("每日汇总时间（点）", default=DEFAULT_DIGEST_HOUR)
    channels = models.JSONField("启用的渠道", default=list, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    wecom_webhook = models.CharField("企业微信群机器人地址", max_length=500, blank=True)
    last_digest_at = models.DateTimeField("最近汇总时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知偏好"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.get_mode_display()}"


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification, models.CASCADE, related_name="deliveries", verbose_name="消息"
    )
    channel = models.CharField("渠道", max_length=20)
    status = models.CharField(
        "状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "投递记录"
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel}: {self.status}"
