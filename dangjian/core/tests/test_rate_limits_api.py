"""The JSON API is limited per bearer token and per client address: 429, Retry-After, Chinese JSON."""

import pytest

from dangjian.accounts import actions

ME = "/api/v1/accounts/me"
YEAR = 365 * 86400  # a window no test run crosses


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def raw_tokens(world):
    return [
        actions.issue_token(user=world.street_officer, name=f"客户端{i}", acting_user=None)[1]
        for i in range(2)
    ]


def test_it_limits_each_token(client, raw_tokens, settings):
    settings.API_RATE_LIMIT_TOKEN = f"3/{YEAR}"
    first, second = raw_tokens
    for _ in range(3):
        assert client.get(ME, headers=bearer(first)).status_code == 200
    r = client.get(ME, headers=bearer(first))
    assert r.status_code == 429
    assert r.json() == {"detail": f"请求过于频繁，请 {r['Retry-After']} 秒后再试"}
    assert 0 < int(r["Retry-After"]) <= YEAR
    assert client.get(ME, headers=bearer(second)).status_code == 200  # the other token is not limited


def test_it_limits_each_address_whatever_the_token(client, raw_tokens, settings):
    settings.API_RATE_LIMIT_ADDRESS = f"4/{YEAR}"
    first, second = raw_tokens
    for raw in (first, second, "dj_forged", first):
        assert client.get(ME, headers=bearer(raw), REMOTE_ADDR="198.51.100.7").status_code in (200, 401)
    assert client.get(ME, headers=bearer(second), REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.get("/open311/v2/services.json", REMOTE_ADDR="198.51.100.7").status_code == 429
    assert client.get(ME, headers=bearer(second), REMOTE_ADDR="198.51.100.8").status_code == 200


def test_it_counts_the_client_behind_a_trusted_proxy(client, raw_tokens, settings):
    settings.API_RATE_LIMIT_ADDRESS = f"2/{YEAR}"
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    behind = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(2):
        assert client.get(ME, headers=bearer(raw_tokens[0]), **behind).status_code == 200
    assert client.get(ME, headers=bearer(raw_tokens[0]), **behind).status_code == 429
    other = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    assert client.get(ME, headers=bearer(raw_tokens[0]), **other).status_code == 200


def test_it_leaves_pages_alone(login, world, settings):
    settings.API_RATE_LIMIT_ADDRESS = f"1/{YEAR}"
    client = login(world.street_officer)
    for _ in range(3):
        assert client.get("/").status_code == 200


def test_it_turns_a_limit_off_with_zero(client, raw_tokens, settings):
    settings.API_RATE_LIMIT_TOKEN = "0"
    settings.API_RATE_LIMIT_ADDRESS = "0"
    for _ in range(5):
        assert client.get(ME, headers=bearer(raw_tokens[0])).status_code == 200


def test_it_writes_nothing_to_the_database_to_count(client, raw_tokens, settings, django_assert_num_queries):
    settings.API_RATE_LIMIT_TOKEN = f"100/{YEAR}"
    settings.API_AUTH_CACHE_SECONDS = 60
    client.get(ME, headers=bearer(raw_tokens[0]))  # token resolved and cached, last_used_at written
    with django_assert_num_queries(1):  # the endpoint's own read of the roles
        assert client.get(ME, headers=bearer(raw_tokens[0])).status_code == 200


def test_it_counts_an_ipv6_client_by_its_64_block(client, raw_tokens, settings):
    settings.API_RATE_LIMIT_ADDRESS = f"2/{YEAR}"
    for host in ("2001:db8:1:2::1", "2001:db8:1:2::ffff"):
        assert client.get(ME, headers=bearer(raw_tokens[0]), REMOTE_ADDR=host).status_code == 200
    assert client.get(ME, headers=bearer(raw_tokens[0]), REMOTE_ADDR="2001:db8:1:2::7").status_code == 429
    assert client.get(ME, headers=bearer(raw_tokens[0]), REMOTE_ADDR="2001:db8:1:3::1").status_code == 200
