from __future__ import annotations

import pytest


def test_it_finds_the_grid_containing_a_point(login, world, django_assert_max_num_queries):
    client = login(world.street_officer)
    client.get("/territory/locate/?lng=110.355&lat=22.705")  # warm the grid index
    with django_assert_max_num_queries(6):
        r = client.get("/territory/locate/?lng=110.355&lat=22.705")
    assert r.status_code == 200
    data = r.json()
    assert data["found"] is True
    assert data["grid"]["id"] == world.grid_a1.pk
    assert data["grid"]["community"] == "桂塘社区"
    assert data["grid"]["code_display"] == "450981 001 001 001"
    assert "桂塘第一网格" in data["message"]


def test_it_answers_a_point_in_no_grid(login, world):
    data = login(world.street_officer).get("/territory/locate/?lng=116.4&lat=39.9").json()
    assert data == {
        "ok": True,
        "found": False,
        "lng": 116.4,
        "lat": 39.9,
        "message": "该坐标不在您可查看的任何网格内",
    }


def test_it_does_not_disclose_grids_outside_scope(login, world):
    data = login(world.street_officer).get("/territory/locate/?lng=110.355&lat=22.725").json()
    assert data["found"] is False
    assert "城南" not in str(data)
    data = login(world.outsider).get("/territory/locate/?lng=110.355&lat=22.725").json()
    assert data["grid"]["name"] == "城南第一网格"


@pytest.mark.parametrize(
    "query, message",
    [
        ("lng=abc&lat=22.7", "请输入数字形式的经度和纬度"),
        ("lng=&lat=", "请输入数字形式的经度和纬度"),
        ("lng=nan&lat=22.7", "请输入数字形式的经度和纬度"),
        ("lng=22.705&lat=110.355", "坐标超出中国范围"),
        ("lat=22.7", "请输入数字形式的经度和纬度"),
    ],
)
def test_it_rejects_bad_coordinates_in_chinese(login, world, query, message):
    r = login(world.street_officer).get(f"/territory/locate/?{query}")
    assert r.status_code == 400
    assert r.json()["ok"] is False
    assert message in r.json()["error"]


def test_it_requires_login(client, world):
    assert client.get("/territory/locate/?lng=110.355&lat=22.705").status_code == 302
