"""Writes to accounts: users, role assignments, API tokens, log-in throttling."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
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


def login_block_seconds(*, phone_hash: str, ip: str | None) -> int:
    """Seconds until a password may be checked again for this phone from this address; 0 = now.

    Two counters, each a sliding window over the recorded failures:

    - the phone: ``LOGIN_FAILURE_LIMIT`` failures since its last successful log-in within
      ``LOGIN_FAILURE_WINDOW_SECONDS`` block that phone from every address — guessing one
      password cannot be spread over many addresses;
    - the address: ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures (any phones) within the shorter
      ``LOGIN_ADDRESS_WINDOW_SECONDS`` block the address, except for a phone that has logged
      in from that address within ``LOGIN_KNOWN_ADDRESS_DAYS``. Behind a NAT the neighbours of
      a guesser who have logged in from there before are not blocked at all, and newcomers
      wait only the short window.
    """
    now = timezone.now()
    attempts = LoginAttempt.objects.filter(phone_hash=phone_hash)
    limit = settings.LOGIN_FAILURE_LIMIT
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    since = now - window
    last_success = attempts.filter(outcome=LoginAttempt.Outcome.SUCCEEDED, at__gt=since).aggregate(
        last=Max("at")
    )["last"]
    recent = list(
        attempts.filter(outcome=LoginAttempt.Outcome.FAILED, at__gt=last_success or since)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if limit > 0 and len(recent) >= limit:
        return _seconds_until(recent[-1] + window, now)
    if not ip:
        return 0
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    window = timedelta(seconds=settings.LOGIN_ADDRESS_WINDOW_SECONDS)
    recent = list(
        LoginAttempt.objects.filter(ip=ip, outcome=LoginAttempt.Outcome.FAILED, at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if limit <= 0 or len(recent) < limit:
        return 0
    known_since = now - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    if attempts.filter(outcome=LoginAttempt.Outcome.SUCCEEDED, ip=ip, at__gt=known_since).exists():
        return 0
    return _seconds_until(recent[-1] + window, now)


def _seconds_until(moment: Any, now: Any) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


def record_login_attempt(*, phone_hash: str, ip: str | None, outcome: str, entry: str = "") -> None:
    """One row per password check (bookkeeping like ``last_login``, not an audited write)."""
    LoginAttempt.objects.create(phone_hash=phone_hash, ip=ip or None, outcome=outcome, entry=entry[:100])


def prune_login_attempts() -> int:
    """Delete log-in records older than ``LOGIN_ATTEMPT_RETENTION_DAYS``; how many went.

    The throttle reads at most ``LOGIN_KNOWN_ADDRESS_DAYS`` back; the rest is kept as the
    security log (the Cybersecurity Law asks network logs be kept at least six months)."""
    days = max(settings.LOGIN_ATTEMPT_RETENTION_DAYS, settings.LOGIN_KNOWN_ADDRESS_DAYS)
    deleted, _ = LoginAttempt.objects.filter(at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted
