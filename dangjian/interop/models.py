"""Client keys for the open interfaces (Open311 GeoReport v2).

A key belongs to a client system, not to a person: it lets the client file service
requests. Only the SHA-256 of the key is stored; the key itself is shown once, when issued.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

KEY_PREFIX = "o311_"
PREFIX_LENGTH = 8


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class ApiKey(models.Model):
    name = models.CharField("客户端名称", max_length=60)
    prefix = models.CharField("前缀", max_length=PREFIX_LENGTH, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
    )
    created_at = models.DateTimeField("签发时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "接口密钥"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
