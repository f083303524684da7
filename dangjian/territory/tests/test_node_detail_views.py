from __future__ import annotations

from dangjian.territory.codes import format_code


def test_it_groups_the_grid_code():
    assert format_code("450981001001001") == "450981 001 001 001"
    assert format_code("450981") == "450981"
    assert format_code("450981001001001001") == "450981 001 001 001 001"


def test_it_shows_a_grid_with_its_code_counts_and_map(login, world, django_assert_max_num_queries):
    client = login(world.street_officer)
    with django_assert_max_num_queries(16):
        r = client.get(f"/territory/{world.grid_a1.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert format_code(world.grid_a1.code) in body
    assert "东湖一号小区" in body  # child
    assert r.context["counts"]["residents"] == 2
    assert r.context["counts"]["members"] == 1
    assert r.context["counts"]["grid_workers"] == 1
    assert [a.name for a in r.context["breadcrumb"]] == ["陵城街道", "桂塘社区"]
    assert f"/territory/grids.geojson?node={world.grid_a1.pk}" in body
    assert 'class="map-box"' in body


def test_it_hides_ancestors_outside_scope_in_the_breadcrumb(login, world):
    r = login(world.grid_worker).get(f"/territory/{world.compound_a1.pk}/")
    assert r.status_code == 200
    assert [a.name for a in r.context["breadcrumb"]] == ["桂塘第一网格"]
    assert "陵城街道" not in r.content.decode()


def test_it_refuses_nodes_outside_scope(login, world):
    client = login(world.street_officer)
    for node in (world.street_b, world.grid_b1, world.compound_b1, world.county, world.city):
        assert client.get(f"/territory/{node.pk}/").status_code == 404
    assert client.get("/territory/999999/").status_code == 404
    assert login(world.grid_worker).get(f"/territory/{world.grid_a2.pk}/").status_code == 404
    assert login(world.resident).get(f"/territory/{world.grid_a1.pk}/").status_code == 404


def test_it_shows_a_street_with_its_communities(login, world):
    r = login(world.admin).get(f"/territory/{world.street_a.pk}/")
    assert [c.name for c in r.context["children"]] == ["桂塘社区"]
    assert r.context["counts"]["organizations"] == 2
