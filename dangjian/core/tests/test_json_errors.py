"""The API and Open311 answer an unhandled exception with a JSON 500 in either DEBUG mode:
the client never sees a traceback or an HTML page; the server log keeps the traceback."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

import dangjian.urls  # noqa: F401  (import every api module now, before a test patches auth_user)
from dangjian.core.middleware import JsonErrorsMiddleware

SECRET = "boom-internal-detail-42"


def _explode(*args, **kwargs):
    raise RuntimeError(SECRET)


def _assert_json_500(response):
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.content.decode()
    assert json.loads(body) == {"detail": "服务器内部错误，请稍后重试；如果一直出现，请联系管理员"}
    assert SECRET not in body and "Traceback" not in body


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_json_for_an_unhandled_api_error(world, login, settings, monkeypatch, caplog, debug):
    settings.DEBUG = debug
    monkeypatch.setattr("dangjian.accounts.api.auth_user", _explode)
    client = login(world.resident)
    with caplog.at_level(logging.ERROR, logger="dangjian.core.middleware"):
        response = client.get("/api/v1/accounts/me")
    _assert_json_500(response)
    record = next(r for r in caplog.records if r.name == "dangjian.core.middleware")
    assert "/api/v1/accounts/me" in record.getMessage()
    assert record.exc_info and SECRET in str(record.exc_info[1])


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_answers_json_for_an_unhandled_open311_error(db, client, settings, monkeypatch, debug, fmt):
    settings.DEBUG = debug
    monkeypatch.setattr("dangjian.appeals.open311.selectors.services", _explode)
    _assert_json_500(client.get(f"/open311/v2/services.{fmt}"))


def test_it_replaces_an_html_server_error_raised_outside_the_views():
    mw = JsonErrorsMiddleware(lambda r: HttpResponse("<h1>Server Error (500)</h1>", status=500))
    _assert_json_500(mw(RequestFactory().get("/api/v1/territory/nodes")))
    page = mw(RequestFactory().get("/territory/"))
    assert page.status_code == 500 and page.content.startswith(b"<h1>")


def test_it_keeps_the_api_error_shapes_it_already_had(world, login):
    client = login(world.resident)
    response = client.get("/api/v1/territory/nodes/999999999")
    assert response.status_code == 404 and response.json() == {"detail": "未找到或无权访问"}


def test_it_answers_json_for_an_unknown_api_url(client, db):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": "接口不存在"}


def test_it_answers_json_for_a_wrong_method_on_open311(client, db):
    response = client.put("/open311/v2/services.json")
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": "不支持该请求方法"} and "GET" in response["Allow"]


@pytest.mark.parametrize("debug", [True, False])
def test_it_answers_json_404_for_the_api_root_and_django_404s(client, settings, debug):
    """Http404 raised by a view under /api/ (ninja's root page) is Django's 404, made JSON —
    not an unhandled exception turned into a 500."""
    settings.DEBUG = debug
    response = client.get("/api/v1/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_it_answers_415_for_a_form_body_sent_to_a_json_endpoint(world, login):
    """The form fields were read (and checked) by the hostile-input middleware, so the raw body
    is gone when the endpoint wants JSON: the client's mistake, a 415 — not a 500."""
    client = login(world.street_officer)
    response = client.post("/api/v1/accounts/tokens", {"name": "表单提交"})
    assert response.status_code == 415
    assert response.json() == {"detail": "请求体应为 JSON（Content-Type: application/json）"}
