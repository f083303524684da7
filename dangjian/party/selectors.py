"""Scoped reads for the party pages: the organisation tree, one organisation, one member."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangjian.accounts import privacy
from dangjian.core.access import access_object
from dangjian.party.models import Alliance, Organization, PartyMember


@dataclass
class OrgNode:
    org: Organization
    members: int  # direct members
    total: int = 0  # members in the whole visible subtree
    children: list[OrgNode] = field(default_factory=list)


def visible_orgs(user: Any) -> QuerySet[Organization]:
    return Organization.objects.restrict(user, "view")


def org_tree(user: Any) -> list[OrgNode]:
    """The organisations the user sees as a forest; roots are those whose parent is not visible."""
    orgs = visible_orgs(user).select_related("node", "unit").annotate(n=Count("members")).order_by("path")
    nodes = {o.pk: OrgNode(org=o, members=o.n) for o in orgs}
    roots: list[OrgNode] = []
    for node in nodes.values():
        parent = nodes.get(node.org.parent_id) if node.org.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in sorted(nodes.values(), key=lambda n: -n.org.depth):
        node.total = node.members + sum(c.total for c in node.children)
    return roots


def visible_alliances(user: Any) -> QuerySet[Alliance]:
    return (
        Alliance.objects.restrict(user, "view")
        .select_related("lead", "node", "parent")
        .prefetch_related("members")
        .order_by("kind", "tier", "name")
    )


@dataclass
class OrgDetail:
    org: Organization
    ancestors: list[tuple[Organization, bool]]  # (organisation, visible to the user)
    children: list[Organization]
    seats: list[Any]
    direct_members: int
    subtree_members: int
    members_preview: list[PartyMember]
    alliances: list[Alliance]


def org_detail(user: Any, pk: int) -> OrgDetail:
    org = access_object(
        Organization.objects.select_related("node", "unit", "parent", "street", "community"), user, pk=pk
    )
    ids = [int(i) for i in org.path.strip("/").split("/") if i and int(i) != org.pk]
    visible_ids = set(visible_orgs(user).filter(pk__in=ids).values_list("pk", flat=True))
    ancestors = [(a, a.pk in visible_ids) for a in Organization.objects.filter(pk__in=ids).order_by("depth")]
    members = (
        privacy.readable(user, privacy.MEMBERS)
        if privacy.register_access(user, privacy.MEMBERS).open
        else None
    )
    if members is None:
        members = PartyMember.objects.none()
    return OrgDetail(
        org=org,
        ancestors=ancestors,
        children=list(visible_orgs(user).filter(parent=org).annotate(n=Count("members")).order_by("path")),
        seats=list(org.seats.select_related("person", "from_unit").order_by("title", "id")),
        direct_members=members.filter(organization=org).count(),
        subtree_members=members.filter(organization__path__startswith=org.path).count(),
        members_preview=list(
            members.filter(organization=org).select_related("person").order_by("person__name", "pk")[:12]
        ),
        alliances=list(
            Alliance.objects.filter(Q(members=org) | Q(lead=org))
            .select_related("lead", "node")
            .distinct()
            .order_by("kind", "name")
        ),
    )


def member_detail(user: Any, pk: int) -> PartyMember:
    """One member the user may read in the members register (or their own record); else 404."""
    qs = PartyMember.objects.select_related(
        "person", "organization", "work_unit", "street", "community", "grid", "compound"
    )
    return access_object(privacy.readable(user, privacy.MEMBERS, qs), user, pk=pk)


def member_transfers(member: PartyMember) -> QuerySet:
    return member.transfers.select_related("from_org", "to_org", "operator").order_by("at", "id")
