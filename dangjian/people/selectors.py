"""Scoped reads for the people pages: one person with every role they hold, as far as the
least-privilege table (``accounts.privacy``) lets the reader see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from dangjian.accounts import privacy
from dangjian.core.access import can
from dangjian.people.choices import ResidentTag
from dangjian.people.models import CommunityWorker, Person, Resident

TAG_LABELS = dict(ResidentTag.choices)
REVEALABLE = {"phone": "手机号", "id_number": "身份证号", "address": "住址"}


@dataclass
class PersonRoles:
    resident: Resident | None
    member: Any
    grid_posts: list[Any]
    community_worker: CommunityWorker | None
    seats: list[Any]
    leader_posts: list[Any]
    legal_posts: list[Any]

    @property
    def labels(self) -> list[str]:
        out = []
        if self.resident:
            out.append("居民")
        if self.member:
            out.append("党员")
        if self.grid_posts:
            out.append("网格员")
        if self.community_worker:
            out.append("社区工作者")
        if self.seats:
            out.append("党组织班子成员")
        if self.leader_posts:
            out.append("联系社区领导")
        if self.legal_posts:
            out.append("三官一律")
        return out

    @property
    def resident_tags(self) -> list[str]:
        return [TAG_LABELS.get(t, t) for t in self.resident.tags] if self.resident else []


def _one(qs: Any) -> Any:
    return qs.first()


def roles_of(person: Person, user: Any = None) -> PersonRoles:
    """Every role ``person`` holds; with ``user``, only those of the registers the user may
    read this person in (one's own record: all)."""
    from dangjian.party.models import CommitteeSeat, PartyMember

    roles = PersonRoles(
        resident=_one(Resident.objects.filter(person=person).select_related("household", "grid")),
        member=_one(PartyMember.objects.filter(person=person).select_related("organization", "work_unit")),
        grid_posts=list(person.grid_posts.select_related("grid_node").order_by("-active", "id")),
        community_worker=_one(CommunityWorker.objects.filter(person=person).select_related("community_node")),
        seats=list(CommitteeSeat.objects.filter(person=person).select_related("organization", "from_unit")),
        leader_posts=list(person.leader_posts.select_related("linked_community")),
        legal_posts=list(person.legal_posts.select_related("serving_node")),
    )
    if user is None or privacy.is_own(user, person):
        return roles

    def readable(register: str, rows: list[Any]) -> list[Any]:
        if not rows or not privacy.register_access(user, register).open:
            return []
        ids = set(
            privacy.readable(user, register).filter(pk__in=[r.pk for r in rows]).values_list("pk", flat=True)
        )
        return [r for r in rows if r.pk in ids]

    roles.resident = next(iter(readable(privacy.RESIDENTS, [roles.resident] if roles.resident else [])), None)
    roles.member = next(iter(readable(privacy.MEMBERS, [roles.member] if roles.member else [])), None)
    roles.grid_posts = readable(privacy.GRID_WORKERS, roles.grid_posts)
    roles.community_worker = next(
        iter(readable(privacy.COMMUNITY_WORKERS, [roles.community_worker] if roles.community_worker else [])),
        None,
    )
    return roles


def person_for(user: Any, pk: int) -> Person:
    """One person the user may read through some register (or their own record); else 404."""
    qs = Person.objects.select_related("home", "street", "community", "grid", "compound")
    person = privacy.readable_persons(user, qs).filter(pk=pk).first()
    if person is None:
        raise Http404("未找到或无权访问")
    return person


def is_basic(user: Any, person: Person) -> bool:
    """Whether ``user`` reads only the basic fields of ``person`` (name, phone, placement)."""
    return privacy.person_fields(user, person) == privacy.BASIC


def reveal_allowed(user: Any, person: Person) -> bool:
    """Unmasking needs the reveal action in scope and a cell reading every field."""
    return not is_basic(user, person) and can(user, "reveal", person)
