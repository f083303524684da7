"""The routing table: the most specific category wins, then the most specific territory;
the target is the case's own grid/community/street; a city-wide default catches the rest."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.access import ScopeError
from dangjian.dispatch import actions, routing
from dangjian.dispatch.tests.conftest import cat


def rule(world, node, category, tier, department=None):
    return actions.create_rule(
        node=node, category=category, tier=tier, department=department, acting_user=world.admin
    )


def test_it_has_no_route_without_rules(world, report):
    route = routing.resolve(report().category, report())
    assert route.rule is None and not route.complete and "人工分派" in route.reasons[0]


def test_the_city_wide_default_applies_when_nothing_else_does(world, report):
    default = rule(world, world.city, None, "grid")
    case = report()
    route = routing.resolve(case.category, case)
    assert route.rule == default and route.node == world.grid_a1 and route.tier == "grid"
    assert any("桂塘第一网格" in r for r in route.reasons)


def test_the_most_specific_category_wins_over_the_territory(world, report, lamp, departments):
    cg = departments["城市管理局"][0]
    rule(world, world.city, None, "grid")
    top = rule(world, world.street_a, cat("城乡建设"), "community")
    second = rule(world, world.city, lamp.parent, "street", cg)
    case = report()
    assert routing.resolve(case.category, case).rule == second  # category level 2 beats level 1
    third = rule(world, world.city, lamp, "county", cg)
    route = routing.resolve(case.category, case)
    assert route.rule == third and route.department == cg and route.node is None
    assert top.pk  # the street's top-level rule lost to every more specific category


def test_the_most_specific_territory_wins_within_a_category(world, report, lamp, departments):
    cg = departments["城市管理局"][0]
    rule(world, world.city, lamp, "street", cg)
    at_street = rule(world, world.street_a, lamp, "community")
    case = report()
    route = routing.resolve(case.category, case)
    assert route.rule == at_street and route.node == world.community_a and route.department is None
    # A case of street B still gets the city rule.
    other = report(lat=22.725)  # grid B1
    route = routing.resolve(other.category, other)
    assert route.node == world.street_b and route.department == cg


def test_an_inactive_rule_does_not_apply(world, report, lamp):
    r = rule(world, world.city, lamp, "street")
    actions.update_rule(r, category=lamp, tier="street", active=False, acting_user=world.admin)
    case = report()
    assert routing.resolve(case.category, case).rule is None


def test_grid_rules_fall_back_to_the_street_when_the_case_is_not_located(world, report, lamp):
    rule(world, world.city, None, "grid")
    case = report(lng=None, lat=None, node=world.street_a, acting_user=world.street_officer, reporter=None)
    route = routing.resolve(case.category, case)
    assert route.node == world.street_a and route.tier == "street"
    assert any("未定位到网格" in r for r in route.reasons)


def test_rules_are_checked_and_kept_in_scope(world, departments, lamp):
    with pytest.raises(ValidationError) as exc:
        actions.create_rule(node=world.city, category=lamp, tier="county", acting_user=world.admin)
    assert "承办部门" in str(exc.value)
    rule(world, world.city, lamp, "street")
    with pytest.raises(ValidationError):
        rule(world, world.city, lamp, "grid")  # one rule per node and category
    with pytest.raises(ScopeError):
        actions.create_rule(node=world.street_a, category=None, tier="grid", acting_user=world.outsider)
