"""Scoped aggregates for the home pages.

Every count goes through ``restrict(user, 'view')``; each model is counted in one grouped
query whose groups are the breakdown nodes (streets, communities, grids or compounds), and
the scope totals are the sums of those groups, so a home page costs a fixed handful of
queries whatever the size of the city.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from dangjian.party.choices import MemberCategory
from dangjian.party.models import Organization, PartyMember
from dangjian.people.models import GridWorker, Resident
from dangjian.territory import selectors as territory_selectors
from dangjian.territory.choices import LEVEL_ORDER, Level
from dangjian.territory.models import Node
from dangjian.units.models import Unit
from dangjian.venues.choices import (
    COMMUNITY_MIN_AREA,
    COMPOUND_AREA_CAP,
    COMPOUND_AREA_PER_100_HOUSEHOLDS,
    CenterLevel,
    PositionKind,
)
from dangjian.venues.models import ServicePosition

NODE_LEVELS = ("street", "community", "grid", "compound")
# The level a home page breaks its figures down by, given the level of the user's scope root.
BREAKDOWN_BELOW = {
    "city": "street",
    "county": "street",
    "street": "community",
    "community": "grid",
    "grid": "compound",
}


def _counter() -> dict[str, int]:
    return defaultdict(int)


@dataclass
class Figures:
    """Counts for one scope or one breakdown node."""

    nodes: dict[str, int] = field(default_factory=_counter)
    households: int = 0
    organizations: int = 0
    members: dict[str, int] = field(default_factory=_counter)
    residents: int = 0
    grid_workers: int = 0
    units: int = 0
    positions: int = 0
    positions_checked: int = 0
    positions_compliant: int = 0

    @property
    def members_total(self) -> int:
        return sum(self.members.values())

    @property
    def member_rows(self) -> list[tuple[str, int]]:
        return [(c.label, self.members.get(c.value, 0)) for c in MemberCategory]

    @property
    def positions_noncompliant(self) -> int:
        return self.positions_checked - self.positions_compliant

    def add(self, other: Figures) -> None:
        for k, v in other.nodes.items():
            self.nodes[k] += v
        for k, v in other.members.items():
            self.members[k] += v
        for name in (
            "households",
            "organizations",
            "residents",
            "grid_workers",
            "units",
            "positions",
            "positions_checked",
            "positions_compliant",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class BreakdownRow:
    node: Node
    figures: Figures


@dataclass
class Overview:
    roots: list[Node]
    by: str
    by_label: str
    totals: Figures
    rows: list[BreakdownRow]


def breakdown_level(roots: list[Node]) -> str:
    """The level below the user's highest scope root (street for a city, grid for a community)."""
    if not roots:
        return "street"
    top = min(roots, key=lambda n: LEVEL_ORDER.index(n.level))
    return BREAKDOWN_BELOW.get(top.level, "compound")


def _position_standard_q() -> tuple[Q, Q]:
    """(applies, compliant) as SQL conditions, mirroring ``ServicePosition.area_check``."""
    center = Q(kind=PositionKind.CENTER)
    applies = center & Q(level__in=[CenterLevel.COMMUNITY, CenterLevel.COMPOUND])
    per_households = ExpressionWrapper(
        F("node__households") * Decimal(COMPOUND_AREA_PER_100_HOUSEHOLDS) / Decimal(100),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    compliant = center & (
        Q(level=CenterLevel.COMMUNITY, floor_area__gte=COMMUNITY_MIN_AREA)
        | Q(level=CenterLevel.COMPOUND, floor_area__gte=COMPOUND_AREA_CAP)
        | Q(level=CenterLevel.COMPOUND, floor_area__gte=per_households)
    )
    return applies, compliant


def overview(user: Any, by: str | None = None) -> Overview:
    """Figures over everything ``user`` may view, broken down by the level ``by``."""
    roots = territory_selectors.scope_roots(user)
    by = by or breakdown_level(roots)
    col = f"{by}_id"
    groups: dict[int | None, Figures] = defaultdict(Figures)

    nodes = territory_selectors.visible_nodes(user).filter(level__in=NODE_LEVELS)
    for row in nodes.values(col, "level").annotate(n=Count("id"), hh=Sum("households")).order_by():
        g = groups[row[col]]
        g.nodes[row["level"]] += row["n"]
        if row["level"] == Level.COMPOUND:
            g.households += row["hh"] or 0

    for row in Organization.objects.restrict(user, "view").values(col).annotate(n=Count("id")).order_by():
        groups[row[col]].organizations += row["n"]

    members = PartyMember.objects.restrict(user, "view")
    for row in members.values(col, "category").annotate(n=Count("id")).order_by():
        groups[row[col]].members[row["category"]] += row["n"]

    for row in Resident.objects.restrict(user, "view").values(col).annotate(n=Count("id")).order_by():
        groups[row[col]].residents += row["n"]

    workers = GridWorker.objects.restrict(user, "view").filter(active=True)
    for row in workers.values(col).annotate(n=Count("id")).order_by():
        groups[row[col]].grid_workers += row["n"]

    for row in Unit.objects.restrict(user, "view").values(col).annotate(n=Count("id")).order_by():
        groups[row[col]].units += row["n"]

    applies, compliant = _position_standard_q()
    positions = ServicePosition.objects.restrict(user, "view")
    for row in (
        positions.values(col)
        .annotate(n=Count("id"), checked=Count("id", filter=applies), ok=Count("id", filter=compliant))
        .order_by()
    ):
        g = groups[row[col]]
        g.positions += row["n"]
        g.positions_checked += row["checked"]
        g.positions_compliant += row["ok"]

    totals = Figures()
    for g in groups.values():
        totals.add(g)
    breakdown_nodes = territory_selectors.visible_nodes(user).filter(level=by).order_by("code")
    rows = [BreakdownRow(node=n, figures=groups.get(n.pk) or Figures()) for n in breakdown_nodes]
    return Overview(roots=roots, by=by, by_label=Level(by).label, totals=totals, rows=rows)


@dataclass
class Personal:
    person: Any
    member: Any
    resident: Any


def personal(user: Any) -> Personal:
    """The signed-in resident's or member's own records (two queries at most)."""
    from dangjian.people.models import Person

    if not user.person_id:
        return Personal(person=None, member=None, resident=None)
    person = (
        Person.objects.select_related(
            "street", "community", "grid", "compound", "party_member__organization", "resident"
        )
        .filter(pk=user.person_id)
        .first()
    )
    if person is None:
        return Personal(person=None, member=None, resident=None)
    return Personal(
        person=person,
        member=getattr(person, "party_member", None),
        resident=getattr(person, "resident", None),
    )
