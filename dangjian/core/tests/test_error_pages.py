"""With DEBUG=0 every error a person meets is our own Chinese page with a way back —
never Django's debug page or its English one-liners; the 500 page needs no database."""

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from dangjian.core import errors
from dangjian.core.tests.error_urls import SECRET

ENGLISH = [
    "DEBUG",
    "Traceback",
    "URLconf",
    "Not Found",
    "Server Error",
    "Forbidden",
    "Bad Request",
    "CSRF verification failed",
    SECRET,
]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "dangjian.core.tests.error_urls"


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    return re.sub(r"(?s)<[^>]+>", " ", html)


def assert_our_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for word in ENGLISH:
        assert word not in html
    text = visible_text(html)
    assert heading in text and "返回首页" in text and "返回上一页" in text
    assert not re.search(r"[A-Za-z]{2,}", text), re.findall(r"[A-Za-z]{2,}", text)
    assert 'href="/"' in html and "favicon.svg" in html
    # The one inline script (the back button) carries this response's CSP nonce.
    policy = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert policy is not None
    nonce = policy.group(1)
    assert html.count("<script") == html.count(f'<script nonce="{nonce}"') == 1
    return html


@pytest.mark.django_db
def test_it_answers_our_404_for_an_unknown_page(client):
    assert_our_page(client.get("/no/such/page/"), 404, "页面不存在")


def test_it_answers_our_404_to_a_logged_in_user(world, login):
    assert_our_page(login(world.resident).get("/no/such/page/"), 404, "页面不存在")


def test_it_answers_our_403(world, login):
    assert_our_page(login(world.resident).get("/_test/forbidden/"), 403, "无权访问")


def test_it_answers_our_400(world, login):
    assert_our_page(login(world.resident).get("/_test/bad/"), 400, "请求有误")


def test_it_answers_our_500(world, login):
    client = login(world.resident)
    client.raise_request_exception = False
    assert_our_page(client.get("/_test/boom/"), 500, "系统出了点问题")


def test_it_answers_our_page_for_a_failed_csrf_check(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.resident)
    html = assert_our_page(client.post("/accounts/logout/"), 403, "页面已过期")
    assert "刷新" in html


def _no_database(execute, sql, params, many, context):
    raise OperationalError("the database is down")


def test_it_renders_the_500_page_without_the_database(settings):
    request = RequestFactory().get("/appeals/")
    with connection.execute_wrapper(_no_database):
        response = errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出了点问题" in html and settings.PLATFORM_NAME in html
    assert not re.search(r"[A-Za-z]{2,}", visible_text(html))


@pytest.mark.django_db
def test_it_keeps_json_errors_on_the_api():
    client = Client(raise_request_exception=False)
    missing = client.get("/api/v1/no/such/endpoint")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")
    broken = client.get("/api/v1/_test/boom/")
    assert broken.status_code == 500 and broken.json()["detail"].startswith("服务器内部错误")
    refused = Client(enforce_csrf_checks=True).post("/api/v1/accounts/logout", {})
    assert refused["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_it_serves_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
