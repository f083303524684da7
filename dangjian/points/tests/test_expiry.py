import datetime
from decimal import Decimal

import pytest
from django.db.models import F

from dangjian.points import actions, selectors
from dangjian.points.choices import AccountKind
from dangjian.points.models import Account, Movement

pytestmark = pytest.mark.django_db


def backdate(movement, year):
    # Test set-up only: place a movement in an earlier year. The model refuses updates, so
    # go around it with a raw UPDATE (the ledger itself never does this).
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            f"UPDATE {Movement._meta.db_table} SET created_at = %s WHERE id = %s",  # noqa: S608
            [datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC), movement.pk],
        )


def test_it_expires_what_is_left_of_points_earned_two_years_ago_first_in_first_out(world):
    p = world.member_person
    old = actions.award(
        rule="wish_fulfilled", person=p, source=world.compound_a1, acting_user=None, quantity=2
    )
    backdate(old, 2024)  # 40 points earned in 2024
    recent = actions.award(rule="wish_fulfilled", person=p, source=world.grid_a1, acting_user=None)
    backdate(recent, 2025)  # 20 points earned in 2025
    actions.award(rule="meeting", person=p, source=world.grid_a2, acting_user=None)  # 5 this year
    shop_item = actions.create_item(
        shop=world.community_a, name="洗衣粉", cost=25, stock=5, acting_user=world.admin
    )
    actions.redeem(person=p, item=shop_item, acting_user=world.member)  # spends 25 of the 2024 points
    assert selectors.balance(p, "honour") == 40

    result = actions.run_expiry(today=datetime.date(2026, 1, 1))
    assert result["earned_year"] == 2024 and result["accounts"] == 1
    assert selectors.balance(p, "honour") == 25  # 15 of 2024 expired
    sink = Account.objects.get(kind=AccountKind.EXPIRY, owner=world.community_a)
    assert sink.balance == 15
    again = actions.run_expiry(today=datetime.date(2026, 3, 1))
    assert again["accounts"] == 0
    assert selectors.balance(p, "honour") == 25
    assert selectors.check_ledger().ok


def test_it_shows_points_expiring_at_the_end_of_this_year(world):
    p = world.member_person
    m = actions.award(rule="wish_fulfilled", person=p, source=world.compound_a1, acting_user=None)
    backdate(m, 2025)
    actions.award(rule="meeting", person=p, source=world.grid_a2, acting_user=None)
    amount, due = selectors.expiring_soon(p, today=datetime.date(2026, 11, 1))
    assert amount == Decimal("20") and due == datetime.date(2026, 12, 31)


def test_an_expiry_can_be_reversed(world):
    p = world.member_person
    m = actions.award(rule="wish_fulfilled", person=p, source=world.compound_a1, acting_user=None)
    backdate(m, 2023)
    actions.run_expiry(today=datetime.date(2025, 1, 2))
    expired = Movement.objects.get(kind="expire")
    actions.reverse(movement=expired, reason="老人住院未能兑换，延期", acting_user=world.admin)
    assert selectors.balance(p, "honour") == 20
    assert Account.objects.filter(pk=F("pk"), kind=AccountKind.EXPIRY).get().balance == 0
