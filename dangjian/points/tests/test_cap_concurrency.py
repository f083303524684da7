"""A rule's yearly per-person cap holds under parallel awards.

Real threads, each with its own connection and real transactions, through the same action
the staff desk and the API use (each award its own grant, so no idempotency key helps).
Before the fix, 16 parallel 双报到 awards (50 points, cap 50) paid 200 points on PostgreSQL.
SQLite serialises writers (BEGIN IMMEDIATE); the test runs there too, as a check that the
cap is read inside the writer's transaction.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from dangjian.conftest import RACE, race
from dangjian.points import actions, selectors
from dangjian.points.models import Movement


def _grant_in_parallel(world, rule_code: str, threads: int) -> list:
    from dangjian.points.models import Rule

    rule = Rule.objects.get(code=rule_code)
    return race(
        threads,
        lambda i: (
            actions.grant_points(
                rule=rule,
                person=world.member_person,
                quantity=1,
                reason=f"并发测试 {i}",
                acting_user=world.street_officer,
            ).movement.pk
        ),
    )


def _paid(world, rule_code: str) -> Decimal:
    return Movement.objects.filter(person=world.member_person, rule__code=rule_code).aggregate(
        s=Sum("amount")
    )["s"] or Decimal("0")


@RACE
@pytest.mark.parametrize(
    ("rule_code", "threads", "paid_awards"),
    [("double_registration", 16, 1), ("meeting", 30, 24)],
)
def test_it_never_pays_past_the_yearly_cap_under_parallel_awards(
    race_db, rule_code, threads, paid_awards
) -> None:
    from dangjian.conftest import build_world

    world = build_world()
    outcomes = _grant_in_parallel(world, rule_code, threads)
    paid = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, actions.LedgerError)]
    assert len(paid) == paid_awards, outcomes
    assert len(refused) == threads - paid_awards, outcomes
    assert all("上限" in str(e) for e in refused), refused
    from dangjian.points.models import Rule

    cap = Rule.objects.get(code=rule_code).max_per_year
    assert _paid(world, rule_code) == cap
    assert selectors.balance(world.member_person, "honour") == cap
    check = selectors.check_ledger()
    assert check.ok, check.problems
