"""The counters live in Django's cache: Redis shares them between processes; a broken cache
lets requests through instead of failing them."""

import socket
import uuid

import pytest

from dangjian.accounts import actions
from dangjian.config import cache_from_url
from dangjian.core import ratelimit

ME = "/api/v1/accounts/me"
YEAR = 365 * 86400


def redis_cache(url):
    return {**cache_from_url(url), "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}


def redis_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_it_reads_cache_url():
    assert cache_from_url("locmem://")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (
        cache_from_url("redis://127.0.0.1:6379/1")["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    )
    with pytest.raises(Exception, match="CACHE_URL"):
        cache_from_url("memcached://x")


@pytest.mark.skipif(not redis_running(), reason="no Redis on 127.0.0.1:6379")
def test_it_counts_in_redis_where_every_process_sees_it(client, world, settings):
    import redis

    settings.CACHES = {"default": redis_cache("redis://127.0.0.1:6379/13")}
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    settings.API_RATE_LIMIT_TOKEN = f"2/{YEAR}"
    _, raw = actions.issue_token(user=world.street_officer, name="脚本", acting_user=None)
    headers = {"Authorization": f"Bearer {raw}"}
    server = redis.Redis(host="127.0.0.1", port=6379, db=13)
    try:
        assert [client.get(ME, headers=headers).status_code for _ in range(3)] == [200, 200, 429]
        # Another process reads the same counter: look at it with a client of our own.
        keys = server.keys(f"{prefix}:*rl:api-token:*")
        assert len(keys) == 1
        assert server.get(keys[0]) == b"3"
        assert 0 < server.ttl(keys[0]) <= YEAR + 1
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_it_lets_requests_through_when_the_cache_is_down(client, world, settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}
    settings.API_RATE_LIMIT_TOKEN = "1/60"
    _, raw = actions.issue_token(user=world.street_officer, name="脚本", acting_user=None)
    headers = {"Authorization": f"Bearer {raw}"}
    assert [client.get(ME, headers=headers).status_code for _ in range(3)] == [200, 200, 200]


def test_it_refuses_a_malformed_rate_in_chinese():
    with pytest.raises(Exception, match="API_RATE_LIMIT_TOKEN 应为“次数/秒数”"):
        ratelimit.parse_rate("many", "API_RATE_LIMIT_TOKEN")
    assert ratelimit.parse_rate("0", "X") is None
    assert ratelimit.parse_rate("5/60", "X") == ratelimit.Rate(5, 60)
