"""Numbers, years and dates from outside are bounded in one place (core.bounds): the API
answers 422 in the usual Chinese shape naming the field, pages fall back to a sane value,
and nothing is written. Before, PostgreSQL answered ``bigint out of range`` / ``numeric field
overflow`` and date arithmetic raised ``OverflowError`` or ``ValueError``: all 500s."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.points.models import Movement
from dangjian.service.models import ServiceRecord
from dangjian.units.models import Unit

HUGE = 2**63


def bearer(user: Any) -> dict[str, str]:
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def post(client: Any, url: str, body: dict, user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=bearer(user))


def assert_422_on(response: Any, field: str) -> list[str]:
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["detail"] == "请求参数有误"
    assert field in data["errors"], data
    return data["errors"][field]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/territory/nodes?page=99999999999999999999",
        "/api/v1/people/persons?page=474607735779310671233024",
        "/api/v1/units?page_size=99999999999999999999",
        "/api/v1/points/movements?page=99999999999999999999",
    ],
)
def test_it_bounds_api_pages(world, client, url):
    errors = assert_422_on(client.get(url, headers=bearer(world.admin)), url.split("?")[1].split("=")[0])
    assert errors == ["数值过大"]


def test_it_bounds_node_children_pages(world, client):
    url = f"/api/v1/territory/nodes/{world.county.pk}/children?page=474607735779310671233024"
    assert_422_on(client.get(url, headers=bearer(world.admin)), "page")


def test_it_bounds_employees(world, client):
    body = {"name": "北流市测试公司", "kind": "private", "node": world.community_a.pk, "employees": HUGE}
    assert assert_422_on(post(client, "/api/v1/units", body, world.admin), "employees") == ["数值过大"]
    assert not Unit.objects.filter(name="北流市测试公司").exists()


@pytest.mark.parametrize("quantity", [HUGE, 1e308, "NaN", "Infinity", "-Infinity", "1e999", "0.001"])
def test_it_bounds_award_quantities(world, client, quantity):
    body = {
        "person_id": world.member_person.pk,
        "rule": "good_deed",
        "quantity": quantity,
        "reason": "扶老人",
    }
    assert_422_on(post(client, "/api/v1/points/awards", body, world.grid_worker), "quantity")
    assert not Movement.objects.exists()


def test_it_bounds_ids_in_bodies_and_queries(world, client):
    body = {"community_ids": [HUGE, world.community_a.pk]}
    assert_422_on(post(client, "/api/v1/needs/campaign", body, world.admin), "community_ids.0")
    r = client.get(f"/api/v1/points/balance?person_id={HUGE}", headers=bearer(world.admin))
    assert_422_on(r, "person_id")
    r = client.get(f"/api/v1/appeals/cases?node={HUGE}", headers=bearer(world.admin))
    assert_422_on(r, "node")
    r = client.get(f"/api/v1/territory/nodes/{HUGE}", headers=bearer(world.admin))
    assert r.status_code == 404  # ids in paths: Django's lookup knows the column's range


@pytest.mark.parametrize("year", ["-1", "0", "99999", str(HUGE)])
def test_it_bounds_years_and_dates_in_api_queries(world, client, year):
    headers = bearer(world.admin)
    errors = assert_422_on(client.get(f"/api/v1/needs/ledger?year={year}", headers=headers), "year")
    assert errors == ["数值过小"] or errors == ["数值过大"]
    r = client.get("/api/v1/appeals/figures?start=0001-01-01&end=9999-12-31", headers=headers)
    assert assert_422_on(r, "start") == ["日期应在 1900—2100 年之间"]


@pytest.mark.parametrize(
    "moment", ["9999-12-31T23:59:59", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00"]
)
def test_it_bounds_datetimes(world, client, moment):
    body = {
        "community_id": world.community_a.pk,
        "title": "法律咨询",
        "started_at": moment,
        "ended_at": moment,
    }
    errors = assert_422_on(post(client, "/api/v1/service/records", body, world.member), "started_at")
    assert errors == ["日期应在 1900—2100 年之间"]
    assert not ServiceRecord.objects.exists()


@pytest.mark.parametrize("query", ["year=-1", "year=99999999999999999999", "year=²"])
def test_pages_fall_back_to_this_year(world, login, query):
    r = login(world.admin).get(f"/points/figures/?{query}")
    assert r.status_code == 200


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "x", "1" * 5000])
def test_list_pages_tolerate_absurd_pages(world, login, page):
    r = login(world.admin).get(f"/people/residents/?page={page}&street=99999999999999999999")
    assert r.status_code == 200
    assert "街道(镇)筛选条件无效，已忽略" in r.content.decode()
