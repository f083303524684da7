"""Scoped reads for the people pages: one person with every role they hold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dangjian.core.access import access_object, can
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


def roles_of(person: Person) -> PersonRoles:
    from dangjian.party.models import CommitteeSeat, PartyMember

    return PersonRoles(
        resident=_one(Resident.objects.filter(person=person).select_related("household")),
        member=_one(PartyMember.objects.filter(person=person).select_related("organization", "work_unit")),
        grid_posts=list(person.grid_posts.select_related("grid_node").order_by("-active", "id")),
        community_worker=_one(CommunityWorker.objects.filter(person=person).select_related("community_node")),
        seats=list(CommitteeSeat.objects.filter(person=person).select_related("organization", "from_unit")),
        leader_posts=list(person.leader_posts.select_related("linked_community")),
        legal_posts=list(person.legal_posts.select_related("serving_node")),
    )


def person_for(user: Any, pk: int) -> Person:
    return access_object(
        Person.objects.select_related("home", "street", "community", "grid", "compound"), user, pk=pk
    )


def reveal_allowed(user: Any, person: Person) -> bool:
    return can(user, "reveal", person)
