"""Venues API: list, detail with the area-standard check, create — inside and outside scope."""

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.core.models import AuditEvent
from dangjian.venues import actions
from dangjian.venues.models import ServicePosition


def bearer(user) -> dict[str, str]:
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def positions(world):
    small = actions.create_position(
        name="东湖一号小区党群服务站",
        node=world.compound_a1,
        level="compound",
        floor_area=120,
        acting_user=None,
    )
    big = actions.create_position(
        name="桂塘社区党群服务中心",
        node=world.community_a,
        level="community",
        floor_area=650,
        functions=["党员活动室", "一站式服务大厅"],
        acting_user=None,
    )
    other = actions.create_position(
        name="城南社区党群服务中心",
        node=world.community_b,
        level="community",
        floor_area=300,
        acting_user=None,
    )
    return small, big, other


def test_it_lists_positions_in_scope_with_area_checks(world, client, positions):
    r = client.get("/api/v1/venues", headers=bearer(world.street_officer))
    rows = {row["name"]: row for row in r.json()["items"]}
    assert set(rows) == {"东湖一号小区党群服务站", "桂塘社区党群服务中心"}
    station = rows["东湖一号小区党群服务站"]["area_check"]
    # 600 households → 180 m² needed; 120 m² falls short.
    assert station["applies"] is True and station["compliant"] is False and station["label"] == "未达标"
    assert float(station["required"]) == 180.0
    centre = rows["桂塘社区党群服务中心"]["area_check"]
    assert centre["compliant"] is True and float(centre["required"]) == 500.0
    assert "500" in centre["rule"]
    outsider = client.get("/api/v1/venues", headers=bearer(world.outsider)).json()["items"]
    assert [row["name"] for row in outsider] == ["城南社区党群服务中心"]
    assert outsider[0]["area_check"]["label"] == "未达标"


def test_it_pins_the_query_count(world, login, positions, django_assert_max_num_queries):
    for i in range(20):
        actions.create_position(
            name=f"驿站{i}", node=world.compound_a1, kind="station", floor_area=20, acting_user=None
        )
    c = login(world.street_officer)
    with django_assert_max_num_queries(6):
        assert c.get("/api/v1/venues").json()["count"] == 22


def test_it_filters_positions(world, login, positions):
    c = login(world.admin)
    assert [p["name"] for p in c.get("/api/v1/venues?level=compound").json()["items"]] == [
        "东湖一号小区党群服务站"
    ]
    assert c.get(f"/api/v1/venues?under={world.street_b.pk}").json()["count"] == 1


def test_it_shows_a_position_in_scope_and_404_outside(world, login, positions):
    small, big, _ = positions
    r = login(world.grid_worker).get(f"/api/v1/venues/{small.pk}")
    assert r.status_code == 200 and r.json()["level_label"] == "小区（网格）党群服务站"
    assert login(world.grid_worker).get(f"/api/v1/venues/{big.pk}").status_code == 404
    assert login(world.outsider).get(f"/api/v1/venues/{big.pk}").status_code == 404


def test_it_creates_a_position(world, client):
    r = client.post(
        "/api/v1/venues",
        {
            "name": "桂塘社区党群服务中心",
            "node": world.community_a.pk,
            "level": "community",
            "floor_area": "480.5",
            "functions": ["调解室"],
        },
        content_type="application/json",
        headers=bearer(world.street_officer),
    )
    assert r.status_code == 201, r.content
    assert r.json()["area_check"]["compliant"] is False
    pos = ServicePosition.objects.get(pk=r.json()["id"])
    assert pos.street_id == world.street_a.pk and pos.functions == ["调解室"]
    assert AuditEvent.objects.filter(action="venues.position.create", actor=world.street_officer).exists()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"name": "中心", "level": "community", "floor_area": 0}, {"floor_area": ["面积必须大于 0"]}),
        ({"name": "中心", "level": "", "floor_area": 100}, {"level": ["党群服务中心须注明层级"]}),
        (
            {"name": "中心", "level": "community", "floor_area": 100, "functions": ["游泳池"]},
            {"functions": ["未知功能室：游泳池"]},
        ),
        (
            {"name": "中心", "level": "street", "floor_area": 100},
            {"node": ["街道党群服务中心应设在对应层级的区域"]},
        ),
        ({"name": "中心", "level": "community", "floor_area": "很大"}, {"floor_area": ["应为数字"]}),
    ],
)
def test_it_answers_422_in_chinese_and_writes_nothing(world, login, payload, errors):
    r = login(world.street_officer).post(
        "/api/v1/venues", {"node": world.community_a.pk, **payload}, content_type="application/json"
    )
    assert r.status_code == 422
    assert r.json()["errors"] == errors
    assert not ServicePosition.objects.exists()


def test_it_answers_404_for_a_node_or_unit_outside_scope(world, login):
    r = login(world.outsider).post(
        "/api/v1/venues",
        {"name": "越界", "node": world.community_a.pk, "level": "community", "floor_area": 600},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert not ServicePosition.objects.exists()
