"""Parallel requests on PostgreSQL: an award is paid once, stock is never oversold.

Real threads with their own connections and real transactions, on PostgreSQL and on
SQLite (where ``race_db`` moves the test database to a file; its writers queue behind
BEGIN IMMEDIATE).
"""

from __future__ import annotations

from decimal import Decimal

from dangjian.conftest import RACE, race
from dangjian.points import actions, selectors
from dangjian.points.models import Item, Movement, Order

THREADS = 8


@RACE
def test_parallel_awards_for_one_source_pay_exactly_once(race_db) -> None:
    from dangjian.conftest import build_world

    world = build_world()
    outcomes = race(
        THREADS,
        lambda i: (
            actions.award(
                rule="wish_fulfilled", person=world.member_person, source=world.compound_a1, acting_user=None
            ).pk
        ),
    )
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert len(set(outcomes)) == 1
    assert Movement.objects.filter(person=world.member_person).count() == 1
    assert selectors.balance(world.member_person, "honour") == Decimal("20")
    assert selectors.check_ledger().ok


@RACE
def test_parallel_hours_for_one_source_are_credited_once(race_db) -> None:
    from dangjian.conftest import build_world

    world = build_world()
    outcomes = race(
        THREADS,
        lambda i: (
            actions.earn_hours(
                person=world.member_person, hours=2, source=world.compound_a1, acting_user=None
            ).pk
        ),
    )
    assert len(set(outcomes)) == 1, outcomes
    assert selectors.balance(world.member_person, "timebank") == 2
    assert selectors.check_ledger().ok


@RACE
def test_parallel_redemptions_never_oversell_or_overdraw(race_db) -> None:
    from dangjian.conftest import build_world

    world = build_world()
    item = actions.create_item(shop=world.community_a, name="食用油", cost=10, stock=3, acting_user=None)
    for source in (world.compound_a1, world.grid_a1):  # 40 points: enough for four, stock for three
        actions.award(rule="wish_fulfilled", person=world.member_person, source=source, acting_user=None)
    outcomes = race(
        THREADS, lambda i: actions.redeem(person=world.member_person, item=item, acting_user=None).pk
    )
    placed = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, actions.LedgerError)]
    assert len(placed) == 3 and len(refused) == THREADS - 3, outcomes
    assert Item.objects.get(pk=item.pk).stock == 0
    assert Order.objects.count() == 3
    assert selectors.balance(world.member_person, "honour") == 10
    assert selectors.check_ledger().ok
