from __future__ import annotations


def test_it_shows_the_tree_roots_and_the_map(login, world, django_assert_max_num_queries):
    client = login(world.street_officer)
    with django_assert_max_num_queries(8):
        r = client.get("/territory/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "陵城街道" in body and "城南街道" not in body
    assert f'hx-get="/territory/{world.street_a.pk}/children/"' in body
    assert 'class="map-box"' in body and "echarts.min.js" in body and "registerMap('grids'" in body
    assert "/territory/grids.geojson" in body


def test_it_roots_the_city_admin_at_the_city(login, world):
    body = login(world.admin).get("/territory/").content.decode()
    assert "玉林市" in body


def test_it_shows_an_empty_state_to_a_resident(login, world):
    body = login(world.resident).get("/territory/").content.decode()
    assert "您没有可查看的区域" in body


def test_it_requires_login(client, world):
    assert client.get("/territory/").status_code == 302


def test_it_lazy_loads_children_inside_scope(login, world, django_assert_max_num_queries):
    client = login(world.street_officer)
    with django_assert_max_num_queries(8):
        r = client.get(f"/territory/{world.community_a.pk}/children/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "桂塘第一网格" in body and "桂塘第二网格" in body
    assert "<html" not in body  # a partial


def test_it_refuses_children_outside_scope(login, world):
    client = login(world.street_officer)
    assert client.get(f"/territory/{world.community_b.pk}/children/").status_code == 404
    assert client.get(f"/territory/{world.county.pk}/children/").status_code == 404
    assert client.get("/territory/999999/children/").status_code == 404


def test_it_shows_the_located_grid_without_javascript(login, world):
    body = login(world.street_officer).get("/territory/?lng=110.355&lat=22.705").content.decode()
    assert "桂塘第一网格" in body and "查看网格" in body
