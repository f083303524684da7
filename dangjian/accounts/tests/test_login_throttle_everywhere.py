"""Every way of checking a password shares one throttle: the log-in page, the admin's log-in
page and any caller of ``authenticate`` (an API endpoint, a command)."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from dangjian.accounts.models import LoginAttempt, User
from dangjian.conftest import PASSWORD

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
PHONE = "13100000009"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(PHONE, PASSWORD)


def block_on_the_login_page(client):
    for i in range(5):
        client.post(LOGIN, {"phone": PHONE, "password": f"bad-{i}"})
    r = client.post(LOGIN, {"phone": PHONE, "password": PASSWORD})
    assert r.status_code == 429


def test_it_refuses_and_records_every_admin_login_of_a_blocked_phone(client, superuser):
    block_on_the_login_page(client)
    for i in range(30):
        r = client.post(ADMIN_LOGIN, {"username": PHONE, "password": f"wrong-{i}", "next": "/admin/"})
        assert r.status_code == 200
        assert "登录失败次数过多" in r.content.decode()
    r = client.post(ADMIN_LOGIN, {"username": PHONE, "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 200
    assert "登录失败次数过多，请 15 分钟后再试" in r.content.decode()
    assert "_auth_user_id" not in client.session
    refused = LoginAttempt.objects.filter(outcome="refused", entry=ADMIN_LOGIN)
    assert refused.count() == 31
    assert set(refused.values_list("ip", flat=True)) == {"127.0.0.1"}


def test_it_counts_admin_failures_towards_the_block_of_the_login_page(client, superuser):
    for i in range(5):
        client.post(ADMIN_LOGIN, {"username": PHONE, "password": f"wrong-{i}"})
    assert LoginAttempt.objects.filter(outcome="failed", entry=ADMIN_LOGIN).count() == 5
    r = client.post(LOGIN, {"phone": PHONE, "password": PASSWORD})
    assert r.status_code == 429
    assert 840 < int(r["Retry-After"]) <= 900


def test_it_throttles_any_caller_of_authenticate(client, superuser):
    block_on_the_login_page(client)
    request = RequestFactory().post("/api/v1/some-endpoint", REMOTE_ADDR="198.51.100.4")
    assert authenticate(request, phone=PHONE, password=PASSWORD) is None
    assert authenticate(None, username=PHONE, password=PASSWORD) is None
    rows = LoginAttempt.objects.filter(outcome="refused").order_by("id")
    assert [(r.entry, r.ip) for r in rows.reverse()[:2]] == [
        ("", None),
        ("/api/v1/some-endpoint", "198.51.100.4"),
    ]


def test_it_still_admits_the_superuser_when_not_blocked(client, superuser):
    r = client.post(ADMIN_LOGIN, {"username": PHONE, "password": PASSWORD, "next": "/admin/"})
    assert r.status_code == 302
    assert client.get("/admin/").status_code == 200
