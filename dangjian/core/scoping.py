"""Scoped reads: ``Model.objects.restrict(user, action)`` returns only what the user may see.

Every staff role is assigned at a territory node (see ``accounts.roles``). A placed record
(one with the ``Placed`` ancestor columns, directly or through ``scope_through``) is inside
an assignment when its ancestor column for the node's level equals the node. Residents and
party members see their own records through ``owner_lookup``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from dangjian.accounts.models import User

ACTIONS = ("view", "add", "change", "delete", "reveal")


class ScopedQuerySet(models.QuerySet):
    def restrict(
        self, user: User | Any, action: str = "view", *, roles: frozenset[str] | None = None
    ) -> ScopedQuerySet:
        """``roles``, when given, limits the territory scope to assignments of those roles
        (``accounts.privacy`` opens a register by territory only to some roles)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        model = self.model
        through: str = getattr(model, "scope_through", "")
        prefix = f"{through}__" if through else ""
        q = Q(pk__in=[])
        # A model may limit which roles its territory scope applies to (e.g. a department
        # stationed at the county sees the cases assigned to it, not every case there).
        scope_roles: frozenset[str] | None = getattr(model, "scope_roles", None)
        for assignment in user.scope_assignments():
            if scope_roles is not None and assignment.role not in scope_roles:
                continue
            if roles is not None and assignment.role not in roles:
                continue
            if action in assignment.actions:
                node = assignment.node
                q |= Q(**{f"{prefix}{node.level}_id": node.pk}) if node.level != "household" else Q(pk__in=[])
        owner_lookup: str | None = getattr(model, "owner_lookup", None)
        if owner_lookup and action in ("view", "reveal") and user.person_id:
            q |= Q(**{owner_lookup: user.person_id})
        return self.filter(q)
