"""Who a user is with respect to a need (the ``Actor`` kinds of the workflow table)."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.roles import Role
from dangjian.needs.choices import WAITING_STATES, Actor
from dangjian.needs.models import Need

REVIEW_ROLES = {Role.CITY_ADMIN, Role.STREET_OFFICER, Role.STREET_CHIEF, Role.COMMUNITY_WORKER}
PROXY_ROLES = {Role.GRID_WORKER, Role.COMMUNITY_WORKER}


def covers(node: Any, need: Need) -> bool:
    """Whether ``need`` lies at or below the territory ``node``."""
    if node is None or node.level == "household":
        return False
    return getattr(need, f"{node.level}_id", None) == node.pk


def member_of(user: Any) -> Any:
    """The party member record of the user's person, or None."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is None:
        return None
    try:
        return person.party_member
    except Exception:  # noqa: BLE001 — RelatedObjectDoesNotExist
        return None


def member_may_claim(member: Any, need: Need) -> bool:
    """A member claims in the street they live in or their branch stands in (双报到 community)."""
    if member is None:
        return False
    person = member.person
    return bool(
        (need.community_id and need.community_id in (person.community_id, member.community_id))
        or (need.street_id and need.street_id in (person.street_id, member.street_id))
    )


def unit_assignments(user: Any, need: Need) -> list[Any]:
    """The user's 驻区单位联络员 assignments whose unit stands in the need's street."""
    out = []
    for a in user.active_assignments():
        if (
            a.role == Role.UNIT_ADMIN
            and a.unit_id
            and a.unit is not None
            and a.unit.street_id == need.street_id
        ):
            out.append(a)
    return out


def actor_kinds(user: Any, need: Need) -> set[str]:
    if user is None:
        return {Actor.SYSTEM}
    if not getattr(user, "is_authenticated", False):
        return set()
    kinds: set[str] = set()
    if (user.person_id and need.beneficiary_id == user.person_id) or (
        need.posted_by_id == user.pk and not need.on_behalf
    ):
        kinds.add(Actor.RESIDENT)
    for a in user.active_assignments():
        if not covers(a.node, need):
            continue
        if a.role in REVIEW_ROLES:
            kinds.update({Actor.REVIEWER, Actor.BRANCH})
        if a.role in PROXY_ROLES:
            kinds.add(Actor.PROXY)
    if user.is_superuser:
        kinds.update({Actor.REVIEWER, Actor.BRANCH, Actor.PROXY})
    member = member_of(user)
    if member is not None:
        from dangjian.party.models import CommitteeSeat

        # The secretary and committee of a branch in the need's community take orders (支部下单).
        if (
            need.community_id
            and CommitteeSeat.objects.filter(
                person_id=member.person_id, organization__community_id=need.community_id
            ).exists()
        ):
            kinds.add(Actor.BRANCH)
        if (
            need.status in WAITING_STATES
            and member_may_claim(member, need)
            and need.directed_member_id in (None, member.pk)
        ):
            kinds.add(Actor.CLAIMER)
        if need.claimed_member_id == member.pk:
            kinds.add(Actor.HANDLER)
    units = unit_assignments(user, need)
    if units:
        kinds.add(Actor.FUNDER)
        if need.status in WAITING_STATES and need.directed_member_id is None:
            kinds.add(Actor.CLAIMER)
        if need.claimed_unit_id and any(a.unit_id == need.claimed_unit_id for a in units):
            kinds.add(Actor.HANDLER)
    if need.claimed_by_id == user.pk and need.claimed_by_id:
        kinds.add(Actor.HANDLER)
    return kinds
