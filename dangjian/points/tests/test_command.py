import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dangjian.points import actions, selectors
from dangjian.points.models import Account

pytestmark = pytest.mark.django_db


def test_check_passes_on_a_sound_ledger(world, capsys):
    actions.award(rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None)
    call_command("points", "check")
    assert "账本校验通过" in capsys.readouterr().out


def test_check_fails_when_a_cached_balance_drifts(world):
    actions.award(rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None)
    account = Account.objects.get(person=world.member_person)
    Account.objects.filter(pk=account.pk).update(balance=Decimal("999"))
    assert not selectors.check_ledger().ok
    with pytest.raises(CommandError, match="账本校验未通过"):
        call_command("points", "check")


def test_check_fails_when_a_posting_is_tampered_with(world):
    m = actions.award(rule="meeting", person=world.member_person, source=world.compound_a1, acting_user=None)
    with connection.cursor() as c:  # a raw write around the model, as an intruder would
        c.execute("UPDATE points_posting SET amount = 50 WHERE movement_id = %s AND amount > 0", [m.pk])
    problems = selectors.check_ledger().problems
    assert any("合计" in p for p in problems)


def test_expire_command(world, capsys):
    call_command("points", "expire", "--today", "2026-01-01")
    assert "2024年获得的积分到期清零" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("points", "expire", "--today", "2026/01/01")


def test_expiry_date_is_the_end_of_the_next_year():
    assert actions.expiry_date(2025) == datetime.date(2026, 12, 31)
