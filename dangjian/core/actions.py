"""Writes that belong to the platform itself: revealing protected personal data."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from dangjian.core import crypto
from dangjian.core.access import ensure_in_scope
from dangjian.core.models import RevealLog


@transaction.atomic
def do_reveal(obj: models.Model, field: str, *, acting_user: Any, reason: str = "") -> str:
    """Return the plain value of ``obj.<field>`` (e.g. ``phone``) and log the reveal.

    Only users whose role carries the ``reveal`` action over ``obj`` get here; everyone
    else sees ``<field>_masked``.
    """
    ensure_in_scope(acting_user, "reveal", obj)
    token = getattr(obj, f"{field}_enc")
    RevealLog.objects.create(
        actor=acting_user,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        field=field,
        reason=reason[:200],
    )
    return crypto.decrypt(token)
