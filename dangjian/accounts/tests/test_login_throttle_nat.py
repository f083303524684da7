"""Behind one NAT (or one proxy), a guesser must not lock everyone else out for long.

Time is moved by ageing the recorded attempts, never by sleeping."""

from datetime import timedelta

from django.db.models import F

from dangjian.accounts.models import LoginAttempt
from dangjian.conftest import PASSWORD

LOGIN = "/accounts/login/"
NAT = "10.1.2.3"


def post(client, phone, password, ip=NAT, **extra):
    return client.post(LOGIN, {"phone": phone, "password": password}, REMOTE_ADDR=ip, **extra)


def guess_twenty(client, ip=NAT, **extra):
    for i in range(20):
        post(client, f"1370000{i:04d}", "bad", ip=ip, **extra)


def age(seconds):
    LoginAttempt.objects.update(at=F("at") - timedelta(seconds=seconds))


def test_it_lets_a_neighbour_who_logged_in_from_there_before_through(client, world):
    assert post(client, "13000000004", PASSWORD).status_code == 302  # the neighbour, last week
    client.logout()
    age(7 * 86400)
    guess_twenty(client)
    assert post(client, "13000000002", PASSWORD).status_code == 429  # a newcomer waits
    assert post(client, "13000000004", PASSWORD).status_code == 302


def test_it_blocks_a_newcomer_behind_the_nat_only_briefly(client, world):
    guess_twenty(client)
    r = post(client, "13000000002", PASSWORD)
    assert r.status_code == 429
    assert "请 5 分钟后再试" in r.content.decode()
    assert 240 < int(r["Retry-After"]) <= 300  # the oldest of the 20 failures ages out
    age(301)
    assert post(client, "13000000002", PASSWORD).status_code == 302


def test_it_blocks_a_guessed_phone_from_every_address_for_the_whole_window(client, world):
    for i in range(5):
        post(client, "13000000002", f"bad-{i}", ip=f"198.51.100.{i}")
    age(301)
    assert post(client, "13000000002", PASSWORD, ip="203.0.113.50").status_code == 429
    age(600)
    assert post(client, "13000000002", PASSWORD, ip="203.0.113.50").status_code == 302


def test_it_does_not_exempt_a_known_address_from_the_phone_block(client, world):
    assert post(client, "13000000002", PASSWORD).status_code == 302
    client.logout()
    for i in range(5):
        post(client, "13000000002", f"bad-{i}")
    assert post(client, "13000000002", PASSWORD).status_code == 429


def test_it_counts_per_client_behind_a_trusted_proxy(client, world, settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    guess_twenty(client, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert set(LoginAttempt.objects.values_list("ip", flat=True)) == {"198.51.100.1"}
    blocked = post(client, "13000000002", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert blocked.status_code == 429
    other = post(client, "13000000002", PASSWORD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


def test_it_does_not_let_a_forged_header_escape_the_address_block(client, world):
    guess_twenty(client, ip="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    r = post(client, "13000000002", PASSWORD, ip="203.0.113.9", HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert r.status_code == 429
