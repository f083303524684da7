from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.accounts.models import LoginAttempt
from dangjian.conftest import PASSWORD

LOGIN = "/accounts/login/"


def test_it_shows_the_login_page(client, db):
    r = client.get(LOGIN)
    assert r.status_code == 200
    body = r.content.decode()
    assert "手机号" in body and "密码" in body and "login-bg" in body


def test_it_logs_in_with_phone_and_password(client, world):
    r = client.post(LOGIN, {"phone": "130 0000 0002", "password": PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == reverse("dashboard:home")
    assert client.session["_auth_user_id"] == str(world.street_officer.pk)


def test_it_refuses_a_wrong_password_in_chinese(client, world):
    r = client.post(LOGIN, {"phone": "13000000002", "password": "wrong-password"})
    assert r.status_code == 200
    assert "手机号或密码错误" in r.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.count() == 1


def test_it_refuses_an_unknown_phone_with_the_same_message(client, world):
    r = client.post(LOGIN, {"phone": "13999999999", "password": PASSWORD})
    assert "手机号或密码错误" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_rejects_a_malformed_phone_without_counting_a_failure(client, world):
    r = client.post(LOGIN, {"phone": "12345", "password": PASSWORD})
    assert "请输入正确的 11 位手机号" in r.content.decode()
    assert LoginAttempt.objects.count() == 0


def test_it_forgets_failures_before_a_success(client, world):
    for i in range(4):
        client.post(LOGIN, {"phone": "13000000002", "password": f"bad-{i}"})
    assert client.post(LOGIN, {"phone": "13000000002", "password": PASSWORD}).status_code == 302
    client.logout()
    for i in range(4):
        client.post(LOGIN, {"phone": "13000000002", "password": f"bad-{i}"})
    assert client.post(LOGIN, {"phone": "13000000002", "password": PASSWORD}).status_code == 302
    outcomes = list(LoginAttempt.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["failed"] * 4 + ["succeeded"] + ["failed"] * 4 + ["succeeded"]


def test_it_blocks_a_phone_after_five_failures_even_with_the_right_password(client, world):
    for i in range(5):
        r = client.post(LOGIN, {"phone": "13000000002", "password": f"bad-{i}"})
        assert "手机号或密码错误" in r.content.decode()
    r = client.post(LOGIN, {"phone": "13000000002", "password": PASSWORD})
    assert r.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # Another phone from the same address is not blocked yet.
    r = client.post(LOGIN, {"phone": "13000000004", "password": PASSWORD})
    assert r.status_code == 302


def test_it_blocks_an_address_after_twenty_failures(client, world):
    for i in range(20):
        client.post(LOGIN, {"phone": f"1370000{i:04d}", "password": "bad"}, REMOTE_ADDR="10.1.2.3")
    r = client.post(LOGIN, {"phone": "13000000002", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()
    r = client.post(LOGIN, {"phone": "13000000002", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert r.status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/territory/", "/territory/"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/x", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_it_follows_only_safe_next_urls(client, world, target, expected):
    r = client.post(LOGIN + "?next=" + target, {"phone": "13000000002", "password": PASSWORD, "next": target})
    assert r.status_code == 302
    assert r["Location"] == expected


def test_it_keeps_next_in_the_form(client, db):
    r = client.get(LOGIN + "?next=/territory/")
    assert 'name="next" value="/territory/"' in r.content.decode()


def test_it_redirects_anonymous_users_to_login(client, db):
    r = client.get("/")
    assert r.status_code == 302
    assert r["Location"].startswith(LOGIN + "?next=/")
