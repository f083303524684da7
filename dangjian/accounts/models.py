"""Users log in by phone number; a user may hold several role assignments, each at a node."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from dangjian.accounts.roles import ROLE_ACTIONS, Role
from dangjian.core import crypto


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(phone_hash=crypto.lookup_hash("phone", username or ""))

    def create_user(self, phone: str, password: str | None = None, **extra: Any) -> User:
        phone = crypto.normalise_phone(phone)
        if not crypto.is_valid_phone(phone):
            raise ValueError("手机号格式不正确")
        sealed = crypto.seal("phone", phone)
        user = self.model(phone_hash=sealed.hash, phone_enc=sealed.enc, phone_masked=sealed.masked, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str = "", password: str | None = None, **extra: Any) -> User:
        # `manage.py createsuperuser` passes the typed phone number as USERNAME_FIELD.
        phone = phone or extra.pop("phone_hash", "")
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("name", "平台管理员")
        return self.create_user(phone, password, **extra)


@dataclass(frozen=True)
class ScopeAssignment:
    node: Any
    actions: frozenset[str]
    role: str


class User(AbstractBaseUser, PermissionsMixin):
    phone_hash = models.CharField("手机号", max_length=64, unique=True, editable=False)
    phone_enc = models.TextField(editable=False)
    phone_masked = models.CharField("手机号", max_length=20)
    name = models.CharField("姓名", max_length=50)
    person = models.OneToOneField(
        "people.Person", models.SET_NULL, null=True, blank=True, related_name="user", verbose_name="人员档案"
    )
    is_active = models.BooleanField("有效", default=True)
    is_staff = models.BooleanField("可进入后台", default=False, help_text="Django 后台仅供平台管理员使用")
    date_joined = models.DateTimeField("注册时间", default=timezone.now)

    USERNAME_FIELD = "phone_hash"
    REQUIRED_FIELDS = ["name"]
    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return f"{self.name}（{self.phone_masked}）"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def active_assignments(self) -> list[RoleAssignment]:
        """Active role assignments, fetched once per user instance (i.e. per request)."""
        cached = getattr(self, "_assignments_cache", None)
        if cached is None:
            cached = list(self.assignments.filter(active=True).select_related("node"))
            self._assignments_cache = cached
        return cached

    def scope_assignments(self) -> list[ScopeAssignment]:
        """Active staff assignments at a node, with the actions they grant."""
        return [
            ScopeAssignment(node=a.node, actions=ROLE_ACTIONS[a.role], role=a.role)
            for a in self.active_assignments()
            if a.node_id is not None
        ]

    @property
    def roles(self) -> list[str]:
        return sorted({a.role for a in self.active_assignments()})

    @property
    def primary_role(self) -> str:
        """The role whose home page the user lands on: the widest staff role first."""
        order = [r.value for r in Role]
        roles = self.roles
        if self.is_superuser:
            return Role.CITY_ADMIN
        return min(roles, key=order.index) if roles else Role.RESIDENT


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, models.CASCADE, related_name="assignments")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    node = models.ForeignKey(
        "territory.Node", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="管辖范围"
    )
    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="所属单位/部门"
    )
    title = models.CharField("职务", max_length=50, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "角色分配"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "node"], name="unique_role_per_node"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.node or '本人'}"


class LoginAttempt(models.Model):
    """Every password check: failures are counted per phone and per address to throttle
    guessing; refusals (while blocked) are kept as evidence; successes mark the addresses a
    phone has logged in from (see ``accounts.throttle``)."""

    class Outcome(models.TextChoices):
        FAILED = "failed", "密码错误"
        REFUSED = "refused", "已锁定，拒绝"
        SUCCEEDED = "succeeded", "登录成功"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    phone_hash = models.CharField(max_length=64, db_index=True)
    ip = models.GenericIPAddressField("地址", null=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.FAILED)
    entry = models.CharField("入口", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录尝试"
        indexes = [models.Index(fields=["ip", "at"])]


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=60)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "dj_" + secrets.token_urlsafe(32)
