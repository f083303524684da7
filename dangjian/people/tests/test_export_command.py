"""``manage.py export_xlsx``: the same spec and filters as the list pages."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from dangjian.party import actions as party_actions
from dangjian.people import actions as people_actions


def first_column(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    return sorted(r[0] for r in ws.iter_rows(min_row=2, values_only=True))


def test_it_exports_every_kind(world, tmp_path):
    for kind in (
        "members",
        "residents",
        "grid_workers",
        "community_workers",
        "units",
        "positions",
        "organizations",
    ):
        out = tmp_path / f"{kind}.xlsx"
        call_command("export_xlsx", kind, "-o", str(out))
        assert out.exists()
    assert first_column(tmp_path / "members.xlsx") == ["周强", "陈建华"]
    assert first_column(tmp_path / "organizations.xlsx") == sorted(
        ["桂塘社区党委", "东湖一号小区党支部", "城南社区党委", "滨江华府小区党支部"]
    )


def test_it_applies_scope_and_filters(world, tmp_path):
    person = people_actions.create_person(name="预备党员", home=world.compound_a1, acting_user=world.admin)
    party_actions.register_member(
        person=person,
        organization=world.branch_a1,
        category="mobile",
        status="probationary",
        acting_user=world.admin,
    )
    out = tmp_path / "m.xlsx"
    call_command("export_xlsx", "members", "-o", str(out), "--as", "13000000004")
    assert first_column(out) == ["周强"]
    call_command("export_xlsx", "members", "-o", str(out), "--street", world.street_a.code)
    assert first_column(out) == ["陈建华", "预备党员"]
    call_command("export_xlsx", "members", "-o", str(out), "--filter", "status=probationary")
    assert first_column(out) == ["预备党员"]
    call_command("export_xlsx", "residents", "-o", str(out), "--grid", world.grid_b1.code)
    assert first_column(out) == ["黄丽"]


def test_it_refuses_bad_input(world, tmp_path):
    out = str(tmp_path / "x.xlsx")
    with pytest.raises(CommandError, match="未找到手机号"):
        call_command("export_xlsx", "members", "-o", out, "--as", "13999999999")
    with pytest.raises(CommandError, match="未找到编码"):
        call_command("export_xlsx", "members", "-o", out, "--street", "000")
    with pytest.raises(CommandError, match="筛选条件"):
        call_command("export_xlsx", "members", "-o", out, "--filter", "color=red")
    with pytest.raises(CommandError, match="无效"):
        call_command("export_xlsx", "members", "-o", out, "--filter", "status=bogus")
    assert not (tmp_path / "x.xlsx").exists()
