from __future__ import annotations


def names(r):
    return sorted(f["properties"]["name"] for f in r.json()["features"])


def test_it_returns_the_visible_grids(login, world, django_assert_max_num_queries):
    client = login(world.street_officer)
    with django_assert_max_num_queries(8):
        r = client.get("/territory/grids.geojson")
    assert r.status_code == 200
    data = r.json()
    assert data["type"] == "FeatureCollection"
    assert names(r) == ["桂塘第一网格", "桂塘第二网格"]
    props = data["features"][0]["properties"]
    assert props["community_name"] == "桂塘社区"
    assert props["url"].startswith("/territory/")
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_it_returns_every_grid_to_the_city_admin(login, world):
    r = login(world.admin).get("/territory/grids.geojson")
    assert names(r) == ["城南第一网格", "桂塘第一网格", "桂塘第二网格"]


def test_it_focuses_on_a_node(login, world):
    client = login(world.admin)
    assert names(client.get(f"/territory/grids.geojson?node={world.community_b.pk}")) == ["城南第一网格"]
    assert names(client.get(f"/territory/grids.geojson?node={world.grid_a2.pk}")) == ["桂塘第二网格"]
    assert names(client.get(f"/territory/grids.geojson?node={world.compound_a1.pk}")) == ["桂塘第一网格"]


def test_it_gives_the_grid_worker_only_their_grid(login, world):
    assert names(login(world.grid_worker).get("/territory/grids.geojson")) == ["桂塘第一网格"]


def test_it_refuses_a_node_outside_scope(login, world):
    client = login(world.street_officer)
    assert client.get(f"/territory/grids.geojson?node={world.street_b.pk}").status_code == 404
    assert client.get("/territory/grids.geojson?node=abc").status_code == 400
