"""Units API: list, detail and create, inside and outside scope; contact phones masked."""

import json

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.core.models import AuditEvent
from dangjian.units import actions
from dangjian.units.actions import credit_check_char
from dangjian.units.models import Unit


def bearer(user) -> dict[str, str]:
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def credit(seed: str) -> str:
    first17 = ("91450981" + seed).ljust(17, "0")[:17]
    return first17 + credit_check_char(first17)


@pytest.fixture
def units(world):
    a = actions.create_unit(
        name="北流市供电局",
        kind="soe",
        node=world.community_a,
        credit_code=credit("1"),
        contact_phone="13711112222",
        acting_user=None,
    )
    b = actions.create_unit(name="城南物业公司", kind="property", node=world.compound_b1, acting_user=None)
    return a, b


def test_it_lists_units_in_scope_with_masked_phone(world, client, units):
    r = client.get("/api/v1/units", headers=bearer(world.street_officer))
    assert r.status_code == 200
    [row] = r.json()["items"]
    assert row["name"] == "北流市供电局" and row["kind_label"] == "国有企业" and row["is_two_new"] is False
    assert row["contact_phone_masked"] == "137****2222"
    assert "13711112222" not in json.dumps(r.json()) and "_enc" not in r.content.decode()
    assert [
        u["name"] for u in client.get("/api/v1/units", headers=bearer(world.outsider)).json()["items"]
    ] == ["城南物业公司"]


def test_it_filters_units(world, login, units):
    c = login(world.admin)
    assert [u["name"] for u in c.get("/api/v1/units?kind=property").json()["items"]] == ["城南物业公司"]
    assert [u["name"] for u in c.get(f"/api/v1/units?under={world.street_a.pk}").json()["items"]] == [
        "北流市供电局"
    ]
    assert [u["name"] for u in c.get(f"/api/v1/units?q={units[0].credit_code}").json()["items"]] == [
        "北流市供电局"
    ]


def test_it_pins_the_query_count(world, login, django_assert_max_num_queries):
    for i in range(25):
        actions.create_unit(name=f"企业{i}", kind="private", node=world.community_a, acting_user=None)
    c = login(world.street_officer)
    with django_assert_max_num_queries(6):
        assert c.get("/api/v1/units").json()["count"] == 25


def test_it_shows_a_unit_in_scope_and_404_outside(world, login, units):
    assert login(world.grid_worker).get(f"/api/v1/units/{units[0].pk}").status_code == 404  # above the grid
    assert (
        login(world.street_officer).get(f"/api/v1/units/{units[0].pk}").json()["credit_code"]
        == units[0].credit_code
    )
    r = login(world.outsider).get(f"/api/v1/units/{units[0].pk}")
    assert r.status_code == 404 and r.json() == {"detail": "未找到或无权访问"}


def test_it_creates_a_unit(world, client):
    r = client.post(
        "/api/v1/units",
        {
            "name": "桂塘小学",
            "kind": "school",
            "node": world.community_a.pk,
            "contact_phone": "0775-6212345",
            "employees": 80,
        },
        content_type="application/json",
        headers=bearer(world.street_officer),
    )
    assert r.status_code == 201, r.content
    unit = Unit.objects.get(pk=r.json()["id"])
    assert unit.street_id == world.street_a.pk and unit.employees == 80
    assert AuditEvent.objects.filter(action="units.unit.create", actor=world.street_officer).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "", "kind": "school"}, "name"),
        ({"name": "某单位", "kind": "bank"}, "kind"),
        ({"name": "某单位", "kind": "private", "credit_code": "91450981000000000X"}, "credit_code"),
        ({"name": "某单位", "kind": "private", "contact_phone": "12"}, "contact_phone"),
        ({"name": "某单位", "kind": "private", "employees": -3}, "employees"),
    ],
)
def test_it_answers_422_in_chinese_and_writes_nothing(world, login, payload, field):
    r = login(world.street_officer).post(
        "/api/v1/units", {"node": world.community_a.pk, **payload}, content_type="application/json"
    )
    assert r.status_code == 422
    [message] = r.json()["errors"][field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert not Unit.objects.exists()


def test_it_answers_404_for_a_node_outside_scope(world, login):
    r = login(world.outsider).post(
        "/api/v1/units",
        {"name": "越界", "kind": "private", "node": world.community_a.pk},
        content_type="application/json",
    )
    assert r.status_code == 404
    assert not Unit.objects.exists()
