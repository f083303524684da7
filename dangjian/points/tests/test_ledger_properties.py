"""Property-based: random sequences of awards, hours, redemptions, cancellations and
reversals keep every ledger balanced, every cached balance equal to its sum, the time bank
at zero, stock never negative, and never let a redemption overdraw an honour balance."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.points import actions, selectors, workflow
from dangjian.points.choices import Ledger, OrderStatus
from dangjian.points.models import Account, Item, Movement, Order

pytestmark = pytest.mark.django_db

RULES = ["service_hour", "wish_fulfilled", "meeting", "double_registration", "good_deed"]

op = st.one_of(
    st.tuples(
        st.just("award"), st.integers(0, 2), st.sampled_from(RULES), st.integers(0, 5), st.integers(1, 3)
    ),
    st.tuples(st.just("earn"), st.integers(0, 2), st.integers(-1, 2), st.integers(0, 5), st.integers(1, 8)),
    st.tuples(st.just("spend"), st.integers(0, 2), st.integers(-1, 2), st.integers(0, 5), st.integers(1, 8)),
    st.tuples(st.just("redeem"), st.integers(0, 2), st.integers(0, 1), st.integers(0, 0), st.integers(1, 3)),
    st.tuples(st.just("cancel"), st.integers(0, 9), st.integers(0, 0), st.integers(0, 0), st.integers(0, 0)),
    st.tuples(
        st.just("reverse"), st.integers(0, 30), st.integers(0, 0), st.integers(0, 0), st.integers(0, 0)
    ),
)


class Rollback(Exception):
    pass


@pytest.fixture
def scene(world: Any) -> dict[str, Any]:
    people = [world.member_person, world.resident_person, _third(world)]
    sources = [world.compound_a1, world.grid_a1, world.grid_a2, world.community_a, world.street_a, world.city]
    items = [
        actions.create_item(shop=world.community_a, name="大米", cost=15, stock=3, acting_user=None),
        actions.create_item(shop=world.community_a, name="毛巾", cost=4, stock=5, acting_user=None),
    ]
    actions.set_budget(issuer=world.community_a, year=_year(), amount=400, acting_user=None)
    return {"people": people, "sources": sources, "items": items, "world": world}


def _third(world: Any) -> Any:
    from dangjian.people import actions as people_actions

    return people_actions.create_person(name="王大爷", home=world.compound_a1, acting_user=None)


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


REFUSED: tuple[type[Exception], ...] = (actions.LedgerError, ValidationError, workflow.TransitionError)


def apply(scene: dict[str, Any], step: tuple) -> None:
    kind, a, b, c, d = step
    people, sources, items = scene["people"], scene["sources"], scene["items"]
    person = people[a % len(people)]
    if kind == "award":
        actions.award(rule=b, person=person, source=sources[c], acting_user=None, quantity=d)
    elif kind == "earn":
        ben = people[b] if b >= 0 else None
        actions.earn_hours(person=person, hours=d, source=sources[c], acting_user=None, beneficiary=ben)
    elif kind == "spend":
        provider = people[b] if b >= 0 else None
        actions.spend_hours(person=person, hours=d, source=sources[c], acting_user=None, provider=provider)
    elif kind == "redeem":
        before = selectors.balance(person, Ledger.HONOUR)
        item = Item.objects.get(pk=items[b].pk)
        try:
            actions.redeem(person=person, item=item, acting_user=None, quantity=d)
        except REFUSED:
            assert selectors.balance(person, Ledger.HONOUR) == before
            raise
        after = selectors.balance(person, Ledger.HONOUR)
        assert after == before - item.cost * d
        assert after >= 0
    elif kind == "cancel":
        orders = list(Order.objects.order_by("pk"))
        if orders:
            actions.cancel_order(order=orders[a % len(orders)], acting_user=None)
    elif kind == "reverse":
        moves = list(Movement.objects.order_by("pk"))
        if moves:
            actions.reverse(movement=moves[a % len(moves)], reason="核查更正", acting_user=None)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(op, min_size=1, max_size=25))
def test_random_sequences_keep_every_ledger_invariant(scene: dict[str, Any], steps: list[tuple]) -> None:
    try:
        with transaction.atomic():
            stock0 = {i.pk: i.stock for i in scene["items"]}
            for step in steps:
                with contextlib.suppress(*REFUSED):
                    apply(scene, step)
                for item in Item.objects.all():
                    assert item.stock >= 0
            check = selectors.check_ledger()
            assert check.ok, check.problems
            assert check.totals[Ledger.TIMEBANK] == 0 and check.totals[Ledger.HONOUR] == 0
            for person in scene["people"]:
                for ledger in Ledger.values:
                    assert selectors.balance(person, ledger) == selectors.cached_balance(person, ledger)
                # time-bank people never go below zero (only the community pool can)
                assert selectors.balance(person, Ledger.TIMEBANK) >= 0 or _reversed(person)
            # stock conservation: what left the shelf is what open and picked-up orders hold
            for item in Item.objects.all():
                held = sum(
                    o.quantity for o in Order.objects.filter(item=item).exclude(status=OrderStatus.CANCELLED)
                )
                assert item.stock + held == stock0[item.pk]
            budget = Account.objects.filter(kind="budget").first()
            if budget is not None:
                assert -budget.balance <= Decimal(400)
            raise Rollback
    except Rollback:
        pass


def _reversed(person: Any) -> bool:
    return Movement.objects.filter(person=person, ledger=Ledger.TIMEBANK, kind="reverse").exists()
