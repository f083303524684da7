import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.access import ScopeError
from dangjian.points import actions, selectors, workflow
from dangjian.points.actions import InsufficientBalance, OutOfStock
from dangjian.points.choices import OrderStatus
from dangjian.points.models import Item, Movement, OrderTransition

pytestmark = pytest.mark.django_db


@pytest.fixture
def rice(world, community_worker):
    return actions.create_item(
        shop=world.community_a, name="大米 5kg", cost=30, stock=2, acting_user=community_worker
    )


@pytest.fixture
def rich(world):
    """The party member with 60 points (three fulfilled wishes)."""
    for source in (world.compound_a1, world.grid_a1, world.grid_a2):
        actions.award(rule="wish_fulfilled", person=world.member_person, source=source, acting_user=None)
    return world.member_person


def test_it_redeems_with_a_pickup_code_and_takes_stock_and_points(world, rice, rich):
    order = actions.redeem(person=rich, item=rice, acting_user=world.member)
    assert order.status == OrderStatus.PLACED
    assert len(order.pickup_code) == 6 and order.pickup_code.isdigit()
    assert order.points == 30 and order.community == world.community_a
    assert Item.objects.get(pk=rice.pk).stock == 1
    assert selectors.balance(rich, "honour") == Decimal("30")
    assert order.movement.amount == Decimal("-30")
    assert OrderTransition.objects.filter(order=order, event="place").exists()
    assert selectors.check_ledger().ok


def test_it_never_takes_more_points_than_the_balance(world, rice):
    actions.award(
        rule="wish_fulfilled", person=world.member_person, source=world.compound_a1, acting_user=None
    )
    with pytest.raises(InsufficientBalance):
        actions.redeem(person=world.member_person, item=rice, acting_user=world.member)
    assert Item.objects.get(pk=rice.pk).stock == 2  # the stock taken first came back with the rollback
    assert selectors.balance(world.member_person, "honour") == 20
    assert not Movement.objects.filter(kind="redeem").exists()


def test_it_never_drives_stock_negative(world, rice, rich):
    with pytest.raises(OutOfStock):
        actions.redeem(person=rich, item=rice, quantity=3, acting_user=world.member)
    actions.redeem(person=rich, item=rice, quantity=2, acting_user=world.member)
    with pytest.raises(OutOfStock):
        actions.redeem(person=rich, item=rice, acting_user=world.member)
    assert Item.objects.get(pk=rice.pk).stock == 0


def test_it_cancels_returning_points_and_stock(world, rice, rich):
    order = actions.redeem(person=rich, item=rice, acting_user=world.member)
    order = actions.cancel_order(order=order, acting_user=world.member, reason="不需要了")
    assert order.status == OrderStatus.CANCELLED
    assert order.refund is not None and order.refund.reverses == order.movement
    assert selectors.balance(rich, "honour") == 60
    assert Item.objects.get(pk=rice.pk).stock == 2
    with pytest.raises(workflow.TransitionError):
        actions.cancel_order(order=order, acting_user=world.member)
    assert selectors.check_ledger().ok


def test_it_hands_over_only_on_an_exchange_day(world, rice, rich, community_worker):
    order = actions.redeem(person=rich, item=rice, acting_user=world.member)
    found = actions.find_open_order(code=order.pickup_code, acting_user=community_worker)
    assert found == order
    with pytest.raises(ValidationError, match="积分兑换日"):
        actions.pick_up(order=order, acting_user=community_worker)
    today = timezone.localdate()
    actions.add_exchange_day(
        shop=world.community_a, date=today, location="党群服务中心", acting_user=community_worker
    )
    order = actions.pick_up(order=order, acting_user=community_worker)
    assert order.status == OrderStatus.PICKED_UP and order.closed_by == community_worker
    with pytest.raises(workflow.TransitionError):
        actions.cancel_order(order=order, acting_user=world.member)
    with pytest.raises(ValidationError):
        actions.find_open_order(code=order.pickup_code, acting_user=community_worker)


def test_it_keeps_pickup_and_staff_writes_in_scope(world, rice, rich):
    order = actions.redeem(person=rich, item=rice, acting_user=world.member)
    with pytest.raises(ValidationError):
        actions.find_open_order(code=order.pickup_code, acting_user=world.outsider)
    with pytest.raises(ScopeError):
        actions.pick_up(order=order, acting_user=world.outsider)
    with pytest.raises(ScopeError):
        actions.cancel_order(order=order, acting_user=world.resident)
    with pytest.raises(ScopeError):
        actions.create_item(shop=world.community_a, name="油", cost=1, stock=1, acting_user=world.outsider)
    with pytest.raises(ScopeError):  # a resident cannot spend someone else's points
        actions.redeem(person=rich, item=rice, acting_user=world.resident)


def test_it_rejects_bad_items_and_quantities(world, community_worker, rice, rich):
    with pytest.raises(ValidationError):
        actions.create_item(shop=world.community_a, name=" ", cost=0, stock=-1, acting_user=community_worker)
    with pytest.raises(ValidationError):
        actions.redeem(person=rich, item=rice, quantity=0, acting_user=world.member)
    other_shop = actions.create_item(
        shop=world.community_b, name="毛巾", cost=5, stock=9, acting_user=world.admin
    )
    with pytest.raises(actions.LedgerError):
        actions.redeem(person=rich, item=other_shop, acting_user=world.member)


def test_it_restocks(world, community_worker, rice):
    assert actions.restock(item=rice, quantity=5, acting_user=community_worker).stock == 7


def test_exchange_days_are_unique(world, community_worker):
    day = datetime.date(2026, 5, 20)
    actions.add_exchange_day(shop=world.community_a, date=day, acting_user=community_worker)
    with pytest.raises(ValidationError):
        actions.add_exchange_day(shop=world.community_a, date=day, acting_user=community_worker)
