"""Access helpers for views and the API: fetch one object within the user's scope.

Missing and forbidden look the same (404), so the existence of records outside one's
scope is not disclosed.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def access_object(model: type[M] | models.QuerySet[M], user: Any, action: str = "view", **lookup: Any) -> M:
    qs = model._default_manager.all() if isinstance(model, type) else model
    try:
        return qs.restrict(user, action).get(**lookup)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到或无权访问") from exc


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may perform ``action`` on ``obj`` (a scoped model instance)."""
    return type(obj)._default_manager.restrict(user, action).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]


class ScopeError(PermissionError):
    """Raised by actions when a write would land outside the actor's scope."""


def ensure_in_scope(user: Any, action: str, obj: models.Model) -> None:
    """Re-check inside the write's transaction that ``obj`` is (still) within scope."""
    if user is None:  # system writes (migrations, demo, worker) carry no user
        return
    if not can(user, action, obj):
        raise ScopeError("超出您的管辖范围，操作未执行")
