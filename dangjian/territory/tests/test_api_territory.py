"""Territory API: nodes, children, grid GeoJSON, locate and new nodes, each from inside
and outside the persona's scope."""

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.conftest import square
from dangjian.core.models import AuditEvent
from dangjian.territory import actions
from dangjian.territory.models import Node


def bearer(user) -> dict[str, str]:
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def names(r) -> set[str]:
    return {row["name"] for row in r.json()["items"]}


def test_it_lists_only_nodes_in_scope(world, client):
    r = client.get("/api/v1/territory/nodes", headers=bearer(world.street_officer))
    assert r.status_code == 200
    assert names(r) == {"陵城街道", "桂塘社区", "桂塘第一网格", "桂塘第二网格", "东湖一号小区"}
    assert r.json()["count"] == 5
    outsider = names(client.get("/api/v1/territory/nodes", headers=bearer(world.outsider)))
    assert outsider == {"城南街道", "城南社区", "城南第一网格", "滨江华府小区"}


def test_it_lists_nothing_for_a_resident(world, login):
    assert login(world.resident).get("/api/v1/territory/nodes").json() == {"items": [], "count": 0}


def test_it_filters_nodes(world, login):
    c = login(world.admin)
    assert names(c.get("/api/v1/territory/nodes?level=grid")) == {
        "桂塘第一网格",
        "桂塘第二网格",
        "城南第一网格",
    }
    assert names(c.get(f"/api/v1/territory/nodes?parent={world.community_a.pk}")) == {
        "桂塘第一网格",
        "桂塘第二网格",
    }
    assert names(c.get("/api/v1/territory/nodes?q=城南")) == {"城南街道", "城南社区", "城南第一网格"}
    assert names(c.get(f"/api/v1/territory/nodes?q={world.grid_a1.code}")) == {"桂塘第一网格", "东湖一号小区"}


def test_it_pages_nodes_with_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    for i in range(60):
        actions.create_node(parent=world.grid_a2, level="compound", name=f"小区{i}", acting_user=None)
    c = login(world.street_officer)
    with django_assert_max_num_queries(6):
        r = c.get("/api/v1/territory/nodes")
    assert len(r.json()["items"]) == 50 and r.json()["count"] == 65
    assert len(c.get("/api/v1/territory/nodes?page=2").json()["items"]) == 15


def test_it_shows_a_node_in_scope(world, login):
    r = login(world.street_officer).get(f"/api/v1/territory/nodes/{world.grid_a1.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["full_name"] == "玉林市北流市陵城街道桂塘社区桂塘第一网格"
    assert body["level_label"] == "网格" and body["grid_type_label"] == "全科网格"
    assert body["boundary"]["type"] == "Polygon"
    assert body["children_count"] == 1
    assert len(body["code"]) == 15


@pytest.mark.parametrize("attr", ["street_a", "community_a", "grid_a1", "compound_a1"])
def test_it_answers_404_outside_scope(world, client, attr):
    node = getattr(world, attr)
    h = bearer(world.outsider)
    r = client.get(f"/api/v1/territory/nodes/{node.pk}", headers=h)
    assert r.status_code == 404
    assert r.json() == {"detail": "未找到或无权访问"}
    assert client.get(f"/api/v1/territory/nodes/{node.pk}/children", headers=h).status_code == 404
    assert client.get(f"/api/v1/territory/grids.geojson?under={node.pk}", headers=h).status_code == 404


def test_it_answers_404_alike_for_a_missing_node(world, login):
    assert login(world.outsider).get("/api/v1/territory/nodes/999999").json() == {
        "detail": "未找到或无权访问"
    }


def test_it_lists_children(world, login):
    r = login(world.street_officer).get(f"/api/v1/territory/nodes/{world.community_a.pk}/children")
    assert [row["name"] for row in r.json()["items"]] == ["桂塘第一网格", "桂塘第二网格"]


def test_it_serves_visible_grids_as_geojson(world, login):
    body = login(world.street_officer).get("/api/v1/territory/grids.geojson").json()
    assert body["type"] == "FeatureCollection"
    assert {f["properties"]["name"] for f in body["features"]} == {"桂塘第一网格", "桂塘第二网格"}
    under = login(world.admin).get(f"/api/v1/territory/grids.geojson?under={world.street_b.pk}").json()
    assert [f["properties"]["name"] for f in under["features"]] == ["城南第一网格"]


def test_it_locates_a_point_in_a_grid(world, login):
    r = login(world.grid_worker).get("/api/v1/territory/locate?lng=110.355&lat=22.705")
    assert r.status_code == 200
    assert r.json()["grid"]["name"] == "桂塘第一网格"
    assert r.json()["community"]["name"] == "桂塘社区"
    assert r.json()["street"]["name"] == "陵城街道"


def test_it_answers_404_with_a_message_outside_every_visible_grid(world, login):
    r = login(world.outsider).get("/api/v1/territory/locate?lng=110.355&lat=22.705")
    assert r.status_code == 404
    assert r.json()["detail"] == "该位置不在您可见的任何网格内"
    r = login(world.admin).get("/api/v1/territory/locate?lng=100.0&lat=30.0")
    assert r.status_code == 404


def test_it_validates_locate_parameters_in_chinese(world, login):
    r = login(world.admin).get("/api/v1/territory/locate?lng=abc")
    assert r.status_code == 422
    assert r.json()["errors"] == {"lng": ["应为数字"], "lat": ["此项为必填项"]}


def test_it_creates_a_node_under_a_node_in_scope(world, client):
    r = client.post(
        "/api/v1/territory/nodes",
        {
            "parent": world.community_a.pk,
            "level": "grid",
            "name": "桂塘第三网格",
            "boundary": square(110.37, 22.70),
        },
        content_type="application/json",
        headers=bearer(world.street_officer),
    )
    assert r.status_code == 201, r.content
    node = Node.objects.get(pk=r.json()["id"])
    assert node.parent == world.community_a and node.street_id == world.street_a.pk
    assert r.json()["code"] == node.code and len(node.code) == 15
    assert AuditEvent.objects.filter(
        action="territory.create", object_id=str(node.pk), actor=world.street_officer
    ).exists()


def test_it_answers_404_for_a_parent_outside_scope(world, login):
    before = Node.objects.count()
    r = login(world.outsider).post(
        "/api/v1/territory/nodes",
        {"parent": world.community_a.pk, "level": "grid", "name": "越界网格"},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert Node.objects.count() == before


def test_it_answers_403_to_view_only_roles_and_non_admins_creating_roots(world, login):
    from dangjian.accounts.actions import assign_role, create_user

    leader = create_user(phone="13000000009", password="Dangjian#2026", name="领导", acting_user=None)
    assign_role(user=leader, role="leader", node=world.county, acting_user=None)
    before = Node.objects.count()
    r = login(leader).post(
        "/api/v1/territory/nodes",
        {"parent": world.street_a.pk, "level": "community", "name": "新社区"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert r.json()["detail"] == "您的角色无权在此区域下新建节点"
    r = login(world.street_officer).post(
        "/api/v1/territory/nodes",
        {"level": "city", "name": "新城", "code": "451000"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert Node.objects.count() == before


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"level": "grid", "name": "  "}, {"name": ["名称不能为空"]}),
        ({"level": "street", "name": "错层"}, {"parent": ["街道(镇)的上级必须是县(市、区)"]}),
        (
            {"level": "planet", "name": "错层"},
            {"level": ["层级不正确，可选：市、县(市、区)、街道(镇)、社区、网格、小区、楼栋、户"]},
        ),
        (
            {"level": "grid", "name": "坏边界", "boundary": {"type": "Point", "coordinates": [1, 2]}},
            {"boundary": ["边界必须是 GeoJSON Polygon 或 MultiPolygon"]},
        ),
        ({"level": "grid", "name": "x", "households": -1}, {"households": ["数值过小"]}),
        ({"level": "grid"}, {"name": ["此项为必填项"]}),
    ],
)
def test_it_answers_422_in_chinese_and_writes_nothing(world, login, payload, errors):
    before = (Node.objects.count(), AuditEvent.objects.count())
    r = login(world.street_officer).post(
        "/api/v1/territory/nodes",
        {"parent": world.community_a.pk, **payload},
        content_type="application/json",
    )
    assert r.status_code == 422, r.content
    assert r.json()["errors"] == errors
    assert (Node.objects.count(), AuditEvent.objects.count()) == before
