"""Every write to party organisations, alliances and members."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.access import ensure_in_scope
from dangjian.party.choices import ALLOWED_CHILDREN, OrgKind
from dangjian.party.models import Alliance, CommitteeSeat, Organization, OrgTransfer, PartyMember


def _check_kind(parent: Organization | None, kind: str) -> None:
    if parent is not None and kind not in ALLOWED_CHILDREN[parent.kind]:
        raise ValidationError({"kind": f"{parent.get_kind_display()}下不能设立{OrgKind(kind).label}"})


@transaction.atomic
def create_organization(
    *,
    name: str,
    kind: str,
    node: Any,
    parent: Organization | None = None,
    unit: Any = None,
    is_joint: bool = False,
    founded_on: date | None = None,
    acting_user: Any,
) -> Organization:
    if not (name or "").strip():
        raise ValidationError({"name": "组织名称不能为空"})
    if kind not in OrgKind.values:
        raise ValidationError({"kind": f"未知组织类别 {kind}"})
    _check_kind(parent, kind)
    if is_joint and kind not in (OrgKind.COMMITTEE, OrgKind.WORK_COMMITTEE):
        raise ValidationError({"is_joint": "只有党委、党工委可组建大党委/大工委"})
    ensure_in_scope(acting_user, "add", node)
    org = Organization(
        name=name.strip(),
        kind=kind,
        node=node,
        parent=parent,
        unit=unit,
        is_joint=is_joint,
        founded_on=founded_on,
    )
    org.place(unit.node if unit is not None else node)
    org.depth = parent.depth + 1 if parent else 0
    org.path = "/"
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit.record(acting_user, "party.org.create", org)
    return org


@transaction.atomic
def move_organization(
    org: Organization, *, new_parent: Organization | None, acting_user: Any
) -> Organization:
    """Re-attach an organisation (and its subtree). Refuses cycles."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    ensure_in_scope(acting_user, "change", org)
    if new_parent is not None:
        new_parent = Organization.objects.get(pk=new_parent.pk)
        if new_parent.path.startswith(org.path):
            raise ValidationError({"parent": "不能把党组织移到自身或其下级组织之下（会形成循环）"})
        _check_kind(new_parent, org.kind)
    before = audit.snapshot(org)
    old_path = org.path
    new_path = f"{new_parent.path if new_parent else '/'}{org.pk}/"
    depth_shift = (new_parent.depth + 1 if new_parent else 0) - org.depth
    for sub in Organization.objects.select_for_update().filter(path__startswith=old_path):
        sub.path = new_path + sub.path[len(old_path) :]
        sub.depth += depth_shift
        if sub.pk == org.pk:
            sub.parent = new_parent
        sub.save(update_fields=["path", "depth", "parent"])
    org.refresh_from_db()
    audit.record(acting_user, "party.org.move", org, before=before)
    return org


@transaction.atomic
def add_seat(
    *,
    organization: Organization,
    person: Any,
    title: str,
    from_unit: Any = None,
    since: date | None = None,
    acting_user: Any,
) -> CommitteeSeat:
    ensure_in_scope(acting_user, "change", organization)
    if title == "part_time" and not organization.is_joint:
        raise ValidationError({"title": "只有大党委/大工委设兼职委员"})
    if title == "part_time" and from_unit is None:
        raise ValidationError({"from_unit": "兼职委员须注明来自哪个驻区单位"})
    seat = CommitteeSeat.objects.create(
        organization=organization, person=person, title=title, from_unit=from_unit, since=since
    )
    audit.record(acting_user, "party.seat.add", seat)
    return seat


def _alliance_ancestors(alliance: Alliance | None) -> set[int]:
    seen: set[int] = set()
    while alliance is not None:
        if alliance.pk in seen:
            break
        seen.add(alliance.pk)
        alliance = alliance.parent
    return seen


@transaction.atomic
def create_alliance(
    *,
    name: str,
    kind: str,
    node: Any,
    lead: Organization,
    tier: str = "",
    parent: Alliance | None = None,
    members: list[Organization] | None = None,
    acting_user: Any,
) -> Alliance:
    ensure_in_scope(acting_user, "add", node)
    alliance = Alliance(name=name, kind=kind, tier=tier, node=node, lead=lead, parent=parent)
    alliance.place(node)
    alliance.save()
    alliance.members.set([lead, *(members or [])])
    audit.record(acting_user, "party.alliance.create", alliance)
    return alliance


@transaction.atomic
def set_alliance_parent(alliance: Alliance, *, parent: Alliance | None, acting_user: Any) -> Alliance:
    alliance = Alliance.objects.select_for_update().get(pk=alliance.pk)
    ensure_in_scope(acting_user, "change", alliance)
    if parent is not None and alliance.pk in _alliance_ancestors(parent):
        raise ValidationError({"parent": "不能把联盟挂到自身或其下级联盟之下（会形成循环）"})
    before = audit.snapshot(alliance)
    alliance.parent = parent
    alliance.save(update_fields=["parent"])
    audit.record(acting_user, "party.alliance.move", alliance, before=before)
    return alliance


@transaction.atomic
def register_member(
    *,
    person: Any,
    organization: Organization,
    category: str,
    status: str = "full",
    joined_on: date | None = None,
    work_unit: Any = None,
    acting_user: Any,
) -> PartyMember:
    ensure_in_scope(acting_user, "add", organization)
    if PartyMember.objects.filter(person=person).exists():
        raise ValidationError({"person": "此人已有党员档案"})
    if organization.kind == OrgKind.GROUP:
        raise ValidationError({"organization": "党员组织关系应在党支部（党小组不是独立的组织关系单位）"})
    member = PartyMember(
        person=person,
        organization=organization,
        category=category,
        status=status,
        joined_on=joined_on,
        work_unit=work_unit,
    )
    member.place(organization)
    member.save()
    OrgTransfer.objects.create(
        member=member, from_org=None, to_org=organization, reason="建立档案", operator=_user(acting_user)
    )
    audit.record(acting_user, "party.member.create", member)
    return member


@transaction.atomic
def transfer_member(member: PartyMember, *, to: Organization, reason: str, acting_user: Any) -> PartyMember:
    """组织关系转接: move a member to another organisation, keeping the history."""
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    ensure_in_scope(acting_user, "change", member)
    if to.pk == member.organization_id:
        raise ValidationError({"to": "转入组织与当前组织相同"})
    if to.kind == OrgKind.GROUP:
        raise ValidationError({"to": "组织关系应转入党支部"})
    before = audit.snapshot(member)
    OrgTransfer.objects.create(
        member=member, from_org=member.organization, to_org=to, reason=reason, operator=_user(acting_user)
    )
    member.organization = to
    member.place(to)
    member.save()
    audit.record(acting_user, "party.member.transfer", member, before=before)
    return member


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None
