"""Writes to interop: issue and revoke client keys, note a key's use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.interop.models import KEY_PREFIX, PREFIX_LENGTH, ApiKey, hash_key, new_key

MAX_NAME = 60


@transaction.atomic
def issue_key(*, name: str, acting_user: Any) -> tuple[ApiKey, str]:
    """Create a key; the raw key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写客户端名称"})
    if len(name) > MAX_NAME:
        raise ValidationError({"name": f"客户端名称不超过 {MAX_NAME} 个字"})
    raw = new_key()
    while ApiKey.objects.filter(prefix=_prefix(raw)).exists():  # 8 random chars: practically never
        raw = new_key()
    key = ApiKey.objects.create(
        name=name,
        prefix=_prefix(raw),
        key_hash=hash_key(raw),
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    audit.record(acting_user, "interop.key.issue", key)
    return key, raw


@transaction.atomic
def revoke_key(key: ApiKey, *, acting_user: Any) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first time."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        return key
    before = audit.snapshot(key)
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    key.refresh_from_db()
    audit.record(acting_user, "interop.key.revoke", key, before=before)
    return key


def authenticate(raw: str) -> ApiKey | None:
    """The active key for ``raw``, noting when it was last used (not audited: not a change)."""
    if not raw or not raw.startswith(KEY_PREFIX):
        return None
    key = ApiKey.objects.filter(key_hash=hash_key(raw), revoked_at__isnull=True).first()
    if key is not None:
        now = timezone.now()
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def _prefix(raw: str) -> str:
    return raw[len(KEY_PREFIX) : len(KEY_PREFIX) + PREFIX_LENGTH]
