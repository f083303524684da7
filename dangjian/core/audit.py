"""Audit rows for writes. Actions call :func:`record` inside their transaction.

Each row carries the client's address of the web or API request it was written in (set for
the request by ``core.middleware.RequestAddressMiddleware``; empty in commands and tasks).
"""

from __future__ import annotations

import contextvars
import datetime
import decimal
import uuid
from typing import Any

from django.db import models

from dangjian.core.models import AuditEvent

request_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_address", default=None)

# Ciphertext and blind indexes are never copied into the audit trail; the masked column is.
_SECRET_SUFFIXES = ("_enc", "_hash")


def snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if name.endswith(_SECRET_SUFFIXES) or name in ("password",):
            continue
        data[name] = _plain(getattr(obj, name))
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None | bool = True,
) -> AuditEvent:
    """Write one audit row. ``after=True`` (default) snapshots ``obj`` as it is now."""
    row = event(actor, action, obj, before=before, after=after)
    row.save(force_insert=True)
    return row


def event(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None | bool = True,
) -> AuditEvent:
    """The audit row :func:`record` writes, not yet saved (for writes sent as one statement)."""
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=snapshot(obj) if after is True else (after or None),
        ip=request_address.get(),
    )


def changed(before: dict | None, after: dict | None) -> dict[str, tuple[Any, Any]]:
    before, after = before or {}, after or {}
    return {
        k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)
    }
