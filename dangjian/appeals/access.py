"""Who a user is with respect to a case (the ``Actor`` kinds of the workflow table)."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import Role
from dangjian.appeals.choices import Actor, Channel, Status
from dangjian.appeals.models import Case

DISPATCHING_ROLES = {
    Role.CITY_ADMIN,
    Role.STREET_OFFICER,
    Role.STREET_CHIEF,
    Role.COMMUNITY_WORKER,
    Role.GRID_WORKER,
}
STREET_ROLES = {Role.STREET_OFFICER, Role.STREET_CHIEF}
UNIT_ROLES = {Role.DEPARTMENT, Role.UNIT_ADMIN}


def _covers(node: Any, target: Any) -> bool:
    """Whether ``target`` (a territory node) lies at or below ``node``."""
    return target is not None and (
        target.pk == node.pk or getattr(target, f"{node.level}_id", None) == node.pk
    )


def actor_kinds(user: Any, case: Case) -> set[str]:
    if user is None:
        return {Actor.SYSTEM}
    if not getattr(user, "is_authenticated", False):
        return set()
    kinds: set[str] = set()
    link_case = getattr(user, "link_case_id", None)  # link_actions.LinkHolder: no account, one case
    if link_case is not None:
        return {Actor.REPORTER} if link_case == case.pk and case.reporter_user_id is None else set()
    if (case.reporter_user_id is not None and case.reporter_user_id == user.pk) or (
        user.person_id and case.reporter_id == user.person_id
    ):
        kinds.add(Actor.REPORTER)
    assignments = user.active_assignments()
    handling = case.handling_node
    for a in assignments:
        node = a.node
        if user.is_superuser or node is None:
            continue
        if a.role in DISPATCHING_ROLES and _covers(node, handling):
            kinds.update({Actor.DISPATCHER, Actor.VERIFIER})
        if a.role in STREET_ROLES and case.street_id == node.pk:
            kinds.add(Actor.STREET)
        if a.role in UNIT_ROLES and a.unit_id and a.unit_id == case.assignee_unit_id:
            kinds.add(Actor.HANDLER)
        if a.role in UNIT_ROLES and case.status == Status.PUBLISHED and _covers(node, handling):
            kinds.add(Actor.CLAIMER)
    if user.is_superuser:
        kinds.update({Actor.DISPATCHER, Actor.VERIFIER, Actor.STREET})
    if case.assignee_user_id == user.pk:
        kinds.add(Actor.HANDLER)
    elif (
        case.assignee_user_id is None
        and case.assignee_unit_id is None
        and case.status in (Status.DISPATCHED, Status.IN_PROGRESS)
    ):
        # Dispatched to an area without a named person: its staff at that node handle it.
        if any(a.node_id == case.handling_node_id and a.role in DISPATCHING_ROLES for a in assignments):
            kinds.add(Actor.HANDLER)
    if case.status == Status.PUBLISHED and user.person_id and hasattr(user.person, "party_member"):
        member = user.person.party_member
        if member.street_id and member.street_id == case.street_id:
            kinds.add(Actor.CLAIMER)
    return kinds


def is_enterprise_case(case: Case) -> bool:
    """服务企业马上办: an enterprise's own business, not the neighbourhood's."""
    return bool(case.channel == Channel.ENTERPRISE or case.category.enterprise)


def same_enterprise(user: Any, case: Case) -> bool:
    """``user`` is a liaison (驻区单位联络员) of a unit whose liaison filed ``case``."""
    if not case.reporter_user_id or not getattr(user, "is_authenticated", False):
        return False
    mine = {a.unit_id for a in user.active_assignments() if a.role == Role.UNIT_ADMIN and a.unit_id}
    if not mine:
        return False
    return RoleAssignment.objects.filter(
        user_id=case.reporter_user_id, role=Role.UNIT_ADMIN, active=True, unit_id__in=mine
    ).exists()
