"""Writes to accounts: users, role assignments, API tokens, log-in throttling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import ApiToken, LoginAttempt, RoleAssignment, User, hash_token
from dangjian.accounts.roles import ROLE_LEVELS, Role
from dangjian.core import audit, crypto
from dangjian.core.access import ensure_in_scope


@transaction.atomic
def create_user(*, phone: str, password: str, name: str, person: Any = None, acting_user: Any) -> User:
    phone = crypto.normalise_phone(phone)
    if not crypto.is_valid_phone(phone):
        raise ValidationError({"phone": "手机号码不正确"})
    if User.objects.filter(phone_hash=crypto.lookup_hash("phone", phone)).exists():
        raise ValidationError({"phone": "该手机号已注册"})
    user = User.objects.create_user(phone, password, name=name, person=person)
    audit.record(acting_user, "accounts.user.create", user)
    return user


@transaction.atomic
def assign_role(
    *, user: User, role: str, node: Any = None, unit: Any = None, title: str = "", acting_user: Any
) -> RoleAssignment:
    levels = ROLE_LEVELS[Role(role)]
    if levels and (node is None or node.level not in levels):
        raise ValidationError({"node": f"{Role(role).label}只能分配在：" + "、".join(levels)})
    if node is not None:
        ensure_in_scope(acting_user, "change", node)
    ra, _ = RoleAssignment.objects.update_or_create(
        user=user, role=role, node=node, defaults={"unit": unit, "title": title, "active": True}
    )
    audit.record(acting_user, "accounts.role.assign", ra)
    return ra


def issue_token(*, user: User, name: str, acting_user: Any) -> tuple[ApiToken, str]:
    """Create an API token; the raw key is returned once and never stored."""
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[3:9], key_hash=hash_token(raw))
    audit.record(acting_user, "accounts.token.issue", token)
    return token, raw


def revoke_token(token: ApiToken, *, acting_user: Any) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(acting_user, "accounts.token.revoke", token)


def login_blocked(*, phone: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    limit = settings.LOGIN_FAILURE_LIMIT
    if (
        LoginAttempt.objects.filter(phone_hash=crypto.lookup_hash("phone", phone), at__gte=since).count()
        >= limit
    ):
        return True
    return bool(ip) and LoginAttempt.objects.filter(ip=ip, at__gte=since).count() >= limit * 4


def record_login_failure(*, phone: str, ip: str | None) -> None:
    LoginAttempt.objects.create(phone_hash=crypto.lookup_hash("phone", phone), ip=ip or None)


def clear_login_failures(*, phone: str) -> None:
    LoginAttempt.objects.filter(phone_hash=crypto.lookup_hash("phone", phone)).delete()
