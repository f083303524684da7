"""The category taxonomy as every intake reads it: held in memory per process.

Intake looks a category up twice (the one chosen, and its top-level category for the
counters); the taxonomy is a few hundred rows that change a few times a year. Each process
keeps them all and reloads them at most every ``RELOAD_SECONDS`` (at once in the process
that saved a change), so an administrator's edit reaches every process within seconds.
"""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save

from dangjian.appeals.models import Category

RELOAD_SECONDS = 10.0

_lock = threading.Lock()
_by_id: dict[int, Category] = {}
_by_code: dict[str, Category] = {}
_loaded_at = float("-inf")


def _current() -> tuple[dict[int, Category], dict[str, Category]]:
    global _by_id, _by_code, _loaded_at
    if time.monotonic() - _loaded_at < RELOAD_SECONDS:
        return _by_id, _by_code
    with _lock:
        if time.monotonic() - _loaded_at >= RELOAD_SECONDS:
            rows = list(Category.objects.all())
            _by_id = {c.pk: c for c in rows}
            _by_code = {c.code: c for c in rows}
            _loaded_at = time.monotonic()
    return _by_id, _by_code


def get(pk: object) -> Category | None:
    """The category with this id (active or not), or None."""
    try:
        return _current()[0].get(int(pk))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def top_of(category: Category) -> Category:
    """The top-level category: the first segment of the code ("03.12.04" → "03")."""
    if category.parent_id is None:
        return category
    return _current()[1][category.code.split(".")[0]]


def forget(**_: object) -> None:
    global _loaded_at
    _loaded_at = float("-inf")


post_save.connect(forget, sender=Category, dispatch_uid="appeals.categories.forget.save")
post_delete.connect(forget, sender=Category, dispatch_uid="appeals.categories.forget.delete")
