from decimal import Decimal

import pytest

from dangjian.core.models import AuditEvent
from dangjian.points import actions, selectors
from dangjian.points.actions import BudgetExceeded, LedgerError
from dangjian.points.choices import AccountKind, Ledger
from dangjian.points.models import Account, Movement

pytestmark = pytest.mark.django_db


def test_it_pays_the_rule_points_from_the_community_budget(world):
    m = actions.award(
        rule="service_hour",
        person=world.member_person,
        source=world.compound_a1,
        acting_user=world.grid_worker,
        quantity=2,
    )
    assert m.amount == Decimal("20")
    assert m.operator == world.grid_worker
    assert m.reason.startswith("志愿服务时长")
    assert selectors.balance(world.member_person, "honour") == Decimal("20")
    assert selectors.cached_balance(world.member_person, "honour") == Decimal("20")
    budget = Account.objects.get(kind=AccountKind.BUDGET, owner=world.community_a)
    assert budget.balance == Decimal("-20")
    assert sorted(p.amount for p in m.postings.all()) == [Decimal("-20"), Decimal("20")]
    assert AuditEvent.objects.filter(action="points.award", object_id=str(m.pk)).exists()
    assert selectors.check_ledger().ok


def test_it_pays_once_per_rule_source_and_person(world):
    first = actions.award(
        rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None
    )
    again = actions.award(
        rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None
    )
    assert again.pk == first.pk
    assert Movement.objects.count() == 1
    assert selectors.balance(world.member_person, "honour") == Decimal("5")
    # another person, another rule, another source: each paid
    actions.award(rule="meeting", person=world.resident_person, source=world.compound_a1, acting_user=None)
    actions.award(rule="activity", person=world.member_person, source=world.compound_a1, acting_user=None)
    actions.award(rule="meeting", person=world.member_person, source=world.grid_a1, acting_user=None)
    assert selectors.balance(world.member_person, "honour") == Decimal("15")


def test_it_refuses_unknown_rules_and_bad_quantities(world):
    with pytest.raises(LedgerError):
        actions.award(rule="nope", person=world.member_person, source=world.compound_a1, acting_user=None)
    for qty in (0, -1, 5000):
        with pytest.raises(LedgerError):
            actions.award(
                rule="meeting",
                person=world.member_person,
                source=world.compound_a1,
                acting_user=None,
                quantity=qty,
            )
    assert Movement.objects.count() == 0


def test_it_stops_at_the_annual_budget(world):
    actions.set_budget(issuer=world.community_a, year=_year(), amount=25, acting_user=world.admin)
    actions.award(
        rule="wish_fulfilled", person=world.member_person, source=world.compound_a1, acting_user=None
    )
    with pytest.raises(BudgetExceeded):
        actions.award(
            rule="wish_fulfilled", person=world.member_person, source=world.grid_a1, acting_user=None
        )
    assert selectors.balance(world.member_person, "honour") == Decimal("20")
    assert Movement.objects.count() == 1
    assert selectors.check_ledger().ok


def test_it_stops_at_the_yearly_cap(world):
    actions.award(
        rule="double_registration", person=world.member_person, source=world.compound_a1, acting_user=None
    )
    with pytest.raises(LedgerError, match="上限"):
        actions.award(
            rule="double_registration", person=world.member_person, source=world.grid_a1, acting_user=None
        )


def test_it_reverses_an_award_once(world):
    m = actions.award(rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None)
    r = actions.reverse(movement=m, reason="重复签到", acting_user=world.street_officer)
    assert r.reverses == m and r.amount == Decimal("-5")
    assert r.reason == "冲正：重复签到"
    assert selectors.balance(world.member_person, "honour") == 0
    assert Account.objects.get(kind=AccountKind.BUDGET).balance == 0
    with pytest.raises(LedgerError):
        actions.reverse(movement=m, reason="再来", acting_user=world.street_officer)
    with pytest.raises(LedgerError):
        actions.reverse(movement=r, reason="冲正的冲正", acting_user=world.street_officer)
    assert selectors.check_ledger().ok


def test_it_refuses_a_reversal_outside_scope_or_without_reason(world):
    from dangjian.core.access import ScopeError

    m = actions.award(rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None)
    with pytest.raises(ScopeError):
        actions.reverse(movement=m, reason="越权", acting_user=world.outsider)
    with pytest.raises(LedgerError):
        actions.reverse(movement=m, reason="  ", acting_user=world.street_officer)
    assert Movement.objects.count() == 1


def test_it_keeps_ledgers_apart(world):
    actions.award(rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None)
    actions.earn_hours(person=world.member_person, hours=2, source=world.compound_a1, acting_user=None)
    assert selectors.balance(world.member_person, Ledger.HONOUR) == 5
    assert selectors.balance(world.member_person, Ledger.TIMEBANK) == 2
    with pytest.raises(ValueError):
        selectors.balance(world.member_person, "money")


def _year():
    from django.utils import timezone

    return timezone.localdate().year
