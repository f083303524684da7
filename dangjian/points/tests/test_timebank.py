from decimal import Decimal

import pytest

from dangjian.points import actions, selectors
from dangjian.points.actions import InsufficientBalance, LedgerError
from dangjian.points.choices import AccountKind, Ledger
from dangjian.points.models import Account, Movement

pytestmark = pytest.mark.django_db
TB = Ledger.TIMEBANK


def pool(world):
    return Account.objects.get(ledger=TB, kind=AccountKind.POOL, owner=world.community_a)


def test_it_credits_the_volunteer_from_the_pool_when_no_beneficiary(world):
    m = actions.earn_hours(
        person=world.member_person, hours=Decimal("1.5"), source=world.compound_a1, acting_user=None
    )
    assert m.amount == Decimal("1.5")
    assert selectors.balance(world.member_person, TB) == Decimal("1.5")
    assert pool(world).balance == Decimal("-1.5")
    assert selectors.check_ledger().totals[TB] == 0


def test_it_debits_the_beneficiary_then_the_pool(world):
    actions.earn_hours(person=world.resident_person, hours=1, source=world.grid_a1, acting_user=None)
    m = actions.earn_hours(
        person=world.member_person,
        hours=3,
        source=world.compound_a1,
        acting_user=None,
        beneficiary=world.resident_person,
    )
    assert m.postings.count() == 3
    assert selectors.balance(world.resident_person, TB) == 0
    assert selectors.balance(world.member_person, TB) == 3
    assert pool(world).balance == Decimal("-3")  # 1 for the resident's hour, 2 for the rest
    assert selectors.check_ledger().ok


def test_it_earns_once_per_source_and_person(world):
    a = actions.earn_hours(person=world.member_person, hours=2, source=world.compound_a1, acting_user=None)
    b = actions.earn_hours(person=world.member_person, hours=5, source=world.compound_a1, acting_user=None)
    assert a.pk == b.pk and Movement.objects.count() == 1


def test_it_spends_hours_never_below_zero(world):
    actions.earn_hours(person=world.member_person, hours=2, source=world.compound_a1, acting_user=None)
    with pytest.raises(InsufficientBalance):
        actions.spend_hours(person=world.member_person, hours=3, source=world.grid_a1, acting_user=None)
    m = actions.spend_hours(
        person=world.member_person,
        hours=2,
        source=world.grid_a1,
        acting_user=None,
        provider=world.resident_person,
    )
    assert m.amount == -2
    assert selectors.balance(world.member_person, TB) == 0
    assert selectors.balance(world.resident_person, TB) == 2
    assert selectors.check_ledger().ok


def test_it_refuses_bad_hours_and_self_service(world):
    for hours in (0, -1, 25):
        with pytest.raises(LedgerError):
            actions.earn_hours(
                person=world.member_person, hours=hours, source=world.compound_a1, acting_user=None
            )
    with pytest.raises(LedgerError):
        actions.earn_hours(
            person=world.member_person,
            hours=1,
            source=world.compound_a1,
            acting_user=None,
            beneficiary=world.member_person,
        )
    assert Movement.objects.count() == 0


def test_it_reverses_earned_hours(world):
    m = actions.earn_hours(person=world.member_person, hours=2, source=world.compound_a1, acting_user=None)
    actions.reverse(movement=m, reason="服务未实际开展", acting_user=world.grid_worker)
    assert selectors.balance(world.member_person, TB) == 0
    assert pool(world).balance == 0
    assert selectors.check_ledger().ok
