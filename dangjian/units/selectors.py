"""Scoped reads for the unit pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from dangjian.accounts import privacy
from dangjian.core.access import access_object
from dangjian.units.models import Unit


@dataclass
class UnitDetail:
    unit: Unit
    organizations: list[Any]
    members: list[Any]
    member_count: int
    venues: list[Any]


def unit_detail(user: Any, pk: int) -> UnitDetail:
    from dangjian.party.models import Organization, PartyMember
    from dangjian.venues.models import ServicePosition

    qs = Unit.objects.select_related("node", "street", "community", "grid")
    unit = access_object(privacy.readable(user, privacy.UNITS, qs), user, pk=pk)
    members: QuerySet[PartyMember] = PartyMember.objects.none()
    if privacy.register_access(user, privacy.MEMBERS).open:
        members = privacy.readable(user, privacy.MEMBERS).filter(work_unit=unit)
    return UnitDetail(
        unit=unit,
        organizations=list(
            Organization.objects.filter(unit=unit).annotate(n=Count("members")).order_by("path")
        ),
        members=list(members.select_related("person", "organization").order_by("person__name", "pk")[:50]),
        member_count=members.count(),
        venues=list(
            ServicePosition.objects.restrict(user, "view")
            .filter(unit=unit)
            .select_related("node")
            .order_by("name")
        ),
    )
