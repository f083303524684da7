"""The demo city is one an official would believe (issue 11).

Households, residents and members in proportion per grid; grids that are not rectangles;
wishes that differ, have waited a believable time and are ordered by plausible branches;
no case waiting months to be acknowledged; every 爱心超市 stocked with exchange days;
hotspots whose cases are really near each other.

One build for the whole module (a small size, rolled back at the end), so these tests
stay quick.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from dangjian.appeals.models import Case
from dangjian.demo import beiliu
from dangjian.dispatch import similarity as sim
from dangjian.dispatch.models import Hotspot, HotspotMember
from dangjian.needs.models import Need
from dangjian.party.models import PartyMember
from dangjian.people.models import Resident
from dangjian.points.models import ExchangeDay, Item
from dangjian.territory import geo
from dangjian.territory.models import Node

RESIDENTS = 2000
CASES = 200


@pytest.fixture(scope="module")
def city(django_db_setup: Any, django_db_blocker: Any) -> Iterator[beiliu.DemoCity]:
    with django_db_blocker.unblock(), transaction.atomic():
        geo.invalidate()
        built = beiliu.build(residents=RESIDENTS, cases=CASES, service="now")
        geo.invalidate()
        yield built
        transaction.set_rollback(True)
    geo.invalidate()


def test_it_houses_residents_in_households_of_believable_size(city, db):
    residents = Resident.objects.filter(county=city.county).count()
    households = Node.objects.get(pk=city.county.pk).households
    assert residents == RESIDENTS
    assert 2.5 <= residents / households <= 3.0
    by_grid = dict(Resident.objects.filter(county=city.county).values_list("grid_id").annotate(n=Count("id")))
    for grid in Node.objects.filter(level="grid", county=city.county):
        people = by_grid.get(grid.pk, 0)
        assert grid.households > 0 and people >= grid.households, grid.name
        if people >= 30:  # small grids are a handful of families: any ratio of 1–6
            assert 2.0 <= people / grid.households <= 3.8, (grid.name, grid.households, people)
    # every household has one head
    heads = Resident.objects.filter(county=city.county, is_head=True).count()
    assert heads == households


def test_it_makes_party_members_a_few_percent_of_residents(city, db):
    members = PartyMember.objects.filter(person__resident__county=city.county).count()
    assert 0.03 <= members / RESIDENTS <= 0.10
    assert PartyMember.objects.filter(category="in_service").exists()
    assert PartyMember.objects.filter(category="retired").exists()


def test_it_draws_grids_that_are_not_rectangles(city, db):
    shapes: Counter[int] = Counter()
    axis_parallel = edges = 0
    for grid in Node.objects.filter(level="grid", county=city.county):
        ring = grid.boundary["coordinates"][0]
        shapes[len(ring) - 1] += 1
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            edges += 1
            axis_parallel += abs(x1 - x2) < 1e-6 or abs(y1 - y2) < 1e-6
    assert len(shapes) >= 3  # cells of different numbers of sides
    assert shapes[4] < 10  # few four-sided ones
    assert axis_parallel / edges < 0.1


def test_it_keeps_communities_in_one_piece(city, db):
    import shapely
    from shapely.geometry import shape

    for community in Node.objects.filter(level="community", county=city.county):
        cells = [shape(g.boundary) for g in Node.objects.filter(parent=community, level="grid")]
        union = shapely.union_all([c.buffer(1e-7) for c in cells])
        assert union.geom_type == "Polygon", community.name


def test_it_posts_different_wishes_that_have_waited_a_while(city, db):
    needs = Need.objects.filter(county=city.county)
    titles = Counter(needs.values_list("title", flat=True))
    assert titles and max(titles.values()) == 1
    now = timezone.now()
    waiting = [
        (now - (n.published_at or n.created_at)).days
        for n in needs.filter(status__in=["published", "ordered"])
    ]
    assert len(set(waiting)) >= 3 and max(waiting) >= 3
    ages = [(now - n.created_at).days for n in needs]
    assert max(ages) <= 130 and len(set(ages)) >= 10


def test_it_has_wishes_ordered_by_several_plausible_branches(city, db):
    ordered = Need.objects.filter(county=city.county, branch__isnull=False)
    by_branch = Counter(ordered.values_list("branch__name", flat=True))
    assert len(by_branch) >= 4
    assert max(by_branch.values()) <= ordered.count() / 2
    assert not any("检察院" in name for name in by_branch)
    health = [n.branch.name for n in ordered.select_related("branch") if "health" in n.skills]
    assert any("医院" in name for name in health)


def test_it_leaves_no_case_waiting_months_to_be_acknowledged(city, db):
    now = timezone.now()
    late = Case.objects.filter(county=city.county, status="dispatched", ack_due__lt=now - timedelta(days=14))
    assert not late.exists(), [(c.number, c.ack_due) for c in late]
    assert Case.objects.filter(county=city.county, received_on__lt=now.date() - timedelta(days=60)).exists()


def test_it_stocks_every_love_supermarket_with_exchange_days(city, db):
    today = timezone.localdate()
    for community in Node.objects.filter(level="community", county=city.county):
        items = Item.objects.filter(shop=community, active=True)
        assert items.count() >= 10, community.name
        assert items.aggregate(s=Sum("stock"))["s"] > 100
        assert ExchangeDay.objects.filter(shop=community, date__gte=today).count() >= 4


def test_it_finds_hotspots_whose_cases_are_near_each_other(city, db):
    spots = list(Hotspot.objects.filter(county=city.county))
    tight = 0
    for spot in spots:
        assert spot.lng is not None and spot.lat is not None
        cases = [m.case for m in HotspotMember.objects.filter(hotspot=spot).select_related("case")]
        assert len(cases) >= 3
        points = [(c.lng, c.lat) for c in cases if c.lng is not None and c.lat is not None]
        assert len(points) == len(cases)
        spread = max(sim.haversine_m(*a, *b) for a in points for b in points)
        assert spread <= 1000, (spot.title, spread)
        tight += spread <= 250
    assert tight >= 3
