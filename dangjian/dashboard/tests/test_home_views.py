"""Each role lands on its own home page, and sees only its part of the tree (issue 11:
the pages show work, not a census; the counts themselves are tested in test_home_work)."""

from __future__ import annotations

import pytest


def templates(response):
    return [t.name for t in response.templates]


def test_it_gives_the_city_admin_the_leaders_overview(login, world):
    r = login(world.admin).get("/")
    assert r.status_code == 200
    assert "dashboard/home_leader.html" in templates(r)
    lead = r.context["lead"]
    assert lead.root == world.city
    assert [row.node.name for row in lead.children] == ["北流市"]
    assert lead.child_label == "县(市、区)"
    body = r.content.decode()
    assert "trend-chart" in body and "echarts.min.js" in body
    # No census of the city any more.
    assert "户数" not in body and "breakdown-chart" not in body


def test_it_gives_the_street_officer_the_street_workbench(login, world):
    r = login(world.street_officer).get("/")
    assert "dashboard/home_staff.html" in templates(r)
    assert r.context["roots"] == [world.street_a]
    body = r.content.decode()
    assert "街道工作台" in body and "陵城街道" in body
    assert "吹哨" in body
    assert "城南" not in body


def test_it_shows_the_outsider_only_street_b(login, world):
    r = login(world.outsider).get("/")
    assert r.context["roots"] == [world.street_b]
    body = r.content.decode()
    assert "城南街道" in body
    assert "陵城街道" not in body and "桂塘" not in body


def test_it_gives_the_grid_worker_the_grid_workbench(login, world):
    r = login(world.grid_worker).get("/")
    assert "dashboard/home_grid.html" in templates(r)
    assert r.context["grid"] == world.grid_a1
    body = r.content.decode()
    assert "桂塘第一网格" in body
    assert "450981 001 001 001" in body
    assert f"/territory/{world.grid_a1.pk}/" in body
    assert "/appeals/staff/?tab=submitted" in body
    assert "城南" not in body


@pytest.mark.parametrize("persona", ["resident", "member"])
def test_it_gives_residents_and_members_a_personal_page(login, world, persona):
    user = getattr(world, persona)
    r = login(user).get("/")
    assert "dashboard/home_personal.html" in templates(r)
    body = r.content.decode()
    assert user.name in body
    assert "桂塘社区" in body and "桂塘第一网格" in body
    assert "待我处理" in body and "/appeals/mine/?show=rate" in body
    assert "ov" not in r.context
    # The full phone number never appears.
    assert "13800001234" not in body and "13900005678" not in body


def test_it_shows_the_member_their_organisation(login, world):
    body = login(world.member).get("/").content.decode()
    assert "东湖一号小区党支部" in body and "在职党员" in body
    assert "双报到" in body
