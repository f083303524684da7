"""Demo accounts: one per role, they log in with their phone, and hold the stated scope."""

from __future__ import annotations

from django.core.management import call_command

from dangjian.accounts.models import User
from dangjian.demo import accounts


def test_it_lets_every_demo_account_log_in(demo, client):
    for a in accounts.ACCOUNTS:
        assert client.login(phone=a.phone, password=accounts.PASSWORD), a.name
        client.logout()
    assert not client.login(phone=accounts.ACCOUNTS[1].phone, password="wrong-password")


def test_it_gives_each_account_its_stated_scope(demo):
    rows = dict(accounts.existing())
    assert len(rows) == len(accounts.ACCOUNTS)
    for a, user in rows.items():
        if a.role == "superuser":
            assert user.is_superuser and user.is_staff
            continue
        assert not user.is_superuser
        if a.scope_level:
            (ra,) = user.assignments.select_related("node", "unit")
            assert (ra.role, ra.node.level, ra.node.name) == (a.role, a.scope_level, a.scope_name)
            assert (ra.unit.name if ra.unit else "") == a.unit
        else:
            assert not user.assignments.exists()
            assert user.person is not None and user.person.home.name == "东湖一号小区"
    member = User.objects.select_related("person").get(
        pk=rows[next(a for a in accounts.ACCOUNTS if a.role == "member")].pk
    )
    assert member.person is not None and member.person.party_member.category == "in_service"
    grid_user = rows[next(a for a in accounts.ACCOUNTS if a.role == "grid_worker")]
    assert grid_user.person.grid_posts.get().grid_node.name == "桂塘第一网格"


def test_it_prints_only_accounts_that_exist(db, capsys):
    call_command("demo", "--accounts")
    assert "18807750001" not in capsys.readouterr().out
    accounts_user = User.objects.create_user("18807750001", "x" * 10, name="组织部管理员")
    assert accounts_user.pk
    call_command("demo", "--accounts")
    out = capsys.readouterr().out
    assert "18807750001" in out and "18807750002" not in out
