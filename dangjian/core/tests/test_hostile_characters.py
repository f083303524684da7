"""NUL characters, lone surrogates, invalid UTF-8 and absurdly nested JSON are refused at the
edge (core.middleware.HostileInputMiddleware) with 400 and a Chinese message — in query
strings, paths, JSON bodies and form fields — and nothing is written. PostgreSQL refuses NUL
in text and a lone surrogate cannot even be encoded, so without the middleware these were 500s."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.appeals.models import Case, Category
from dangjian.interop import actions as interop_actions
from dangjian.needs.models import Need


@pytest.fixture
def road(db: Any) -> Category:
    category = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    assert category is not None
    return category


HOSTILE = ["路灯\x00不亮", "路灯\ud800不亮", "\udfff"]


def bearer(user: Any) -> dict[str, str]:
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def case_body(road: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "category": road.pk,
        "title": "路灯不亮",
        "description": "东湖一号小区门口路灯坏了三天",
        "lng": 110.355,
        "lat": 22.705,
        "contact_name": "李秀英",
        "contact_phone": "13800001234",
    }
    data.update(overrides)
    return data


def assert_refused_json(response: Any) -> None:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "字符" in detail or "编码" in detail or "嵌套" in detail


@pytest.mark.parametrize("value", HOSTILE)
def test_it_refuses_hostile_strings_in_an_api_json_body(world, client, road, value):
    headers = bearer(world.resident)
    for data in (
        case_body(road, title=value),
        case_body(road, description=value),
        {**case_body(road), value: "x"},  # in a key
        {**case_body(road), "extra": [{"deep": [value]}]},  # nested
    ):
        body = json.dumps(data)  # ASCII escapes: "\u0000", "\ud800"
        r = client.post("/api/v1/appeals/cases", body, content_type="application/json", headers=headers)
        assert_refused_json(r)
    assert Case.objects.count() == 0


def test_an_escaped_backslash_is_not_taken_for_an_escape(world, client, road):
    body = json.dumps(case_body(road, description="路径 C:\\u0000 与 \\ud800 只是文字"))
    headers = {**bearer(world.resident), "Idempotency-Key": "escaped-backslash-1"}
    r = client.post("/api/v1/appeals/cases", body, content_type="application/json", headers=headers)
    assert r.status_code == 201, r.content
    assert Case.objects.get().description == "路径 C:\\u0000 与 \\ud800 只是文字"


def test_it_refuses_invalid_utf8_and_deep_nesting_in_json(world, client):
    headers = bearer(world.resident)
    r = client.post(
        "/api/v1/needs", b'{"title": "\xff\xfe"}', content_type="application/json", headers=headers
    )
    assert_refused_json(r)
    deep = "[" * 100_000 + "]" * 100_000
    r = client.post("/api/v1/needs", deep, content_type="application/json", headers=headers)
    assert_refused_json(r)
    assert Need.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/appeals/cases?q=%00",
        "/api/v1/people/persons?q=a%00b",
        "/api/v1/needs?%00=1",
        "/api/v1/appeals/cases/BL-%00",
        "/api/v1/territory/nodes?q=%ED%A0%80%00",
    ],
)
def test_it_refuses_nul_in_api_queries_and_paths(world, client, url):
    assert_refused_json(client.get(url, headers=bearer(world.admin)))


@pytest.mark.parametrize(
    "url",
    ["/people/residents/?q=%00", "/appeals/staff/?q=x%00", "/party/members/?street=%00", "/needs/%00/"],
)
def test_it_refuses_nul_on_pages_with_a_short_chinese_message(world, login, url):
    r = login(world.admin).get(url)
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/plain")
    assert "不允许的字符" in r.content.decode()


def test_it_refuses_nul_in_a_resident_report_form(world, login, road):
    r = login(world.resident).post(
        "/appeals/report/",
        {"cat3": road.pk, "title": "路灯\x00不亮", "description": "坏了", "idempotency_key": "k1"},
    )
    assert r.status_code == 400 and "不允许的字符" in r.content.decode()
    assert Case.objects.count() == 0


def test_it_refuses_nul_in_a_need_form(world, login):
    r = login(world.resident).post("/needs/new/", {"title": "\x00", "description": "x"})
    assert r.status_code == 400
    assert Need.objects.count() == 0


def test_it_refuses_nul_at_the_public_open311_endpoints(world, client, road):
    for url in (
        "/open311/v2/requests.json?service_code=%00",
        "/open311/v2/requests.xml?status=open%00",
        "/open311/v2/services/%00.json",
        "/open311/v2/requests/%00.json",
    ):
        assert_refused_json(client.get(url))
    _, key = interop_actions.issue_key(name="热线对接", acting_user=world.admin)
    form = {
        "api_key": key,
        "service_code": road.code,
        "lat": "22.705",
        "long": "110.355",
        "description": "东湖一号小区\x00门口路灯坏了",
    }
    assert_refused_json(client.post("/open311/v2/requests.json", form))
    assert Case.objects.count() == 0
