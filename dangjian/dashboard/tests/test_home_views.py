from __future__ import annotations

import pytest


def test_it_shows_the_city_admin_every_street(login, world, places, django_assert_max_num_queries):
    client = login(world.admin)
    with django_assert_max_num_queries(13):
        r = client.get("/")
    assert r.status_code == 200
    assert "dashboard/home_staff.html" in [t.name for t in r.templates]
    ov = r.context["ov"]
    assert ov.by == "street"
    t = ov.totals
    assert (t.nodes["street"], t.nodes["community"], t.nodes["grid"], t.nodes["compound"]) == (2, 2, 3, 2)
    assert t.households == 1800
    assert t.organizations == 4
    assert t.members == {"in_service": 1, "retired": 1}
    assert (t.residents, t.grid_workers, t.units, t.positions) == (3, 1, 2, 3)
    assert (t.positions_checked, t.positions_compliant) == (3, 1)
    assert [r.node.name for r in ov.rows] == ["陵城街道", "城南街道"]
    body = r.content.decode()
    assert "breakdown-chart" in body and "echarts.min.js" in body
    assert "城南街道" in body


def test_it_shows_the_street_officer_only_street_a_by_community(
    login, world, places, django_assert_max_num_queries
):
    client = login(world.street_officer)
    with django_assert_max_num_queries(13):
        r = client.get("/")
    ov = r.context["ov"]
    assert ov.by == "community"
    t = ov.totals
    assert (t.nodes["street"], t.nodes["community"], t.nodes["grid"], t.nodes["compound"]) == (1, 1, 2, 1)
    assert t.households == 600
    assert t.members == {"in_service": 1}
    assert (t.organizations, t.residents, t.grid_workers, t.units, t.positions) == (2, 2, 1, 1, 2)
    assert (t.positions_checked, t.positions_compliant) == (2, 1)
    assert [row.node.name for row in ov.rows] == ["桂塘社区"]
    body = r.content.decode()
    assert "桂塘社区" in body
    assert "城南" not in body


def test_it_shows_the_outsider_only_street_b(login, world, places):
    r = login(world.outsider).get("/")
    ov = r.context["ov"]
    t = ov.totals
    assert (t.nodes["street"], t.nodes["community"], t.nodes["grid"]) == (1, 1, 1)
    assert t.members == {"retired": 1}
    assert (t.residents, t.units, t.positions, t.positions_compliant) == (1, 1, 1, 0)
    body = r.content.decode()
    assert "陵城街道" not in body and "桂塘" not in body


def test_it_gives_the_grid_worker_cards_for_the_grid(login, world, places, django_assert_max_num_queries):
    client = login(world.grid_worker)
    with django_assert_max_num_queries(13):
        r = client.get("/")
    assert "dashboard/home_grid.html" in [t.name for t in r.templates]
    assert r.context["grid"] == world.grid_a1
    t = r.context["ov"].totals
    assert (t.residents, t.households, t.members_total, t.nodes["compound"]) == (2, 600, 1, 1)
    body = r.content.decode()
    assert "桂塘第一网格" in body and "东湖一号小区" in body
    assert "450981 001 001 001" in body
    assert f"/territory/{world.grid_a1.pk}/" in body
    assert "城南" not in body


def test_it_scales_in_queries_not_with_the_number_of_streets(
    login, world, places, django_assert_max_num_queries
):
    from dangjian.territory import actions as T

    for i in range(8):
        street = T.create_node(parent=world.county, level="street", name=f"新街道{i}", acting_user=None)
        T.create_node(parent=street, level="community", name=f"新社区{i}", acting_user=None)
    client = login(world.admin)
    with django_assert_max_num_queries(13):
        r = client.get("/")
    assert len(r.context["ov"].rows) == 10


@pytest.mark.parametrize("persona", ["resident", "member"])
def test_it_gives_residents_and_members_a_personal_page(login, world, persona, django_assert_max_num_queries):
    user = getattr(world, persona)
    client = login(user)
    with django_assert_max_num_queries(5):
        r = client.get("/")
    assert "dashboard/home_personal.html" in [t.name for t in r.templates]
    body = r.content.decode()
    assert user.name in body
    assert user.phone_masked in body
    assert "桂塘社区" in body and "桂塘第一网格" in body
    assert "ov" not in r.context
    # The full phone number never appears.
    assert "13800001234" not in body and "13900005678" not in body


def test_it_shows_the_member_their_organisation(login, world):
    body = login(world.member).get("/").content.decode()
    assert "东湖一号小区党支部" in body and "在职党员" in body
