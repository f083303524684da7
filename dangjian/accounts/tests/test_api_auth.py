"""API authentication: Bearer tokens (hashed, revocable, touched at most once a minute),
the Django session with CSRF, and 401 for everyone else."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts import actions
from dangjian.accounts.models import ApiToken, hash_token

LIST_ENDPOINTS = [
    "/api/v1/accounts/me",
    "/api/v1/accounts/tokens",
    "/api/v1/territory/nodes",
    "/api/v1/territory/grids.geojson",
    "/api/v1/party/organizations",
    "/api/v1/party/members",
    "/api/v1/people/persons",
    "/api/v1/people/residents",
    "/api/v1/people/grid-workers",
    "/api/v1/people/community-workers",
    "/api/v1/units",
    "/api/v1/venues",
]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_it_answers_401_in_chinese_without_credentials(world, client, url):
    r = client.get(url)
    assert r.status_code == 401
    assert r.json()["detail"] == "未登录或令牌无效（令牌可能已被吊销）"
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_401_to_an_anonymous_post_without_csrf_noise(world):
    r = Client(enforce_csrf_checks=True).post(
        "/api/v1/people/persons",
        {"name": "张三", "home": world.compound_a1.pk},
        content_type="application/json",
    )
    assert r.status_code == 401


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_it_accepts_a_bearer_token(world, client, url):
    _, raw = actions.issue_token(user=world.street_officer, name="对接", acting_user=world.street_officer)
    assert client.get(url, headers=bearer(raw)).status_code == 200


@pytest.mark.parametrize("url", LIST_ENDPOINTS)
def test_it_accepts_the_session(world, login, url):
    assert login(world.street_officer).get(url).status_code == 200


def test_it_stores_only_the_hash(world):
    token, raw = actions.issue_token(user=world.admin, name="对接", acting_user=world.admin)
    token.refresh_from_db()
    assert token.key_hash == hash_token(raw)
    assert raw not in (token.key_hash, token.prefix, token.name)
    assert raw.startswith("dj_") and raw[3:9] == token.prefix


def test_it_rejects_a_revoked_token(world, client):
    token, raw = actions.issue_token(user=world.admin, name="对接", acting_user=world.admin)
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 200
    actions.revoke_token(token, acting_user=world.admin)
    r = client.get("/api/v1/accounts/me", headers=bearer(raw))
    assert r.status_code == 401
    assert "令牌" in r.json()["detail"]


@pytest.mark.parametrize("header", ["Bearer dj_wrong", "Bearer ", "Basic abc", "dj_only"])
def test_it_rejects_malformed_or_unknown_tokens(world, client, header):
    assert client.get("/api/v1/accounts/me", headers={"Authorization": header}).status_code == 401


def test_it_rejects_the_token_of_a_deactivated_user(world, client):
    _, raw = actions.issue_token(user=world.outsider, name="对接", acting_user=world.outsider)
    type(world.outsider).objects.filter(pk=world.outsider.pk).update(is_active=False)
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 401


def test_it_touches_last_used_at_at_most_once_a_minute(world, client, monkeypatch):
    token, raw = actions.issue_token(user=world.admin, name="对接", acting_user=world.admin)
    client.get("/api/v1/accounts/me", headers=bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/accounts/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first  # not rewritten within the minute
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr("dangjian.accounts.api.timezone.now", lambda: later)
    client.get("/api/v1/accounts/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == later  # two minutes on: written again


def test_a_process_reuses_what_a_token_resolved_to_for_a_moment(world, client, settings, monkeypatch):
    """The user and roles behind a token are looked up once per API_AUTH_CACHE_SECONDS."""
    settings.API_AUTH_CACHE_SECONDS = 2
    clock = [1000.0]
    monkeypatch.setattr("dangjian.accounts.api.time.monotonic", lambda: clock[0])
    token, raw = actions.issue_token(user=world.street_officer, name="对接", acting_user=world.street_officer)
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 200
    # Another process revokes it (no signal reaches this one): honoured within the 2 seconds.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 200
    clock[0] += 2
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 401


def test_a_change_in_this_process_is_seen_at_once(world, client, settings):
    settings.API_AUTH_CACHE_SECONDS = 3600
    token, raw = actions.issue_token(user=world.outsider, name="对接", acting_user=world.outsider)
    url = f"/api/v1/territory/nodes/{world.community_a.pk}"
    assert client.get(url, headers=bearer(raw)).status_code == 404  # street B's officer
    actions.assign_role(
        user=world.outsider, role="community_worker", node=world.community_a, acting_user=None
    )
    assert client.get(url, headers=bearer(raw)).status_code == 200
    actions.revoke_token(token, acting_user=world.outsider)
    assert client.get(url, headers=bearer(raw)).status_code == 401


def test_each_request_gets_its_own_user_and_the_cache_can_be_off(
    world, settings, rf, django_assert_num_queries
):
    from dangjian.accounts.api import token_auth

    _, raw = actions.issue_token(user=world.street_officer, name="对接", acting_user=world.street_officer)
    settings.API_AUTH_CACHE_SECONDS = 2
    a = token_auth.authenticate(rf.get("/"), raw)
    with django_assert_num_queries(0):
        b = token_auth.authenticate(rf.get("/"), raw)
        assert a is not None and b is not None
        assert b is not a and b.pk == a.pk and b.active_assignments() == a.active_assignments()
    settings.API_AUTH_CACHE_SECONDS = 0
    with django_assert_num_queries(2):  # the token with its user, then the roles
        token_auth.authenticate(rf.get("/"), raw)


def test_it_requires_csrf_for_unsafe_session_requests(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.street_officer)
    body = {"name": "新居民", "home": world.compound_a1.pk}
    r = c.post("/api/v1/people/persons", body, content_type="application/json")
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    # A safe method needs no CSRF token; a Bearer client never does.
    assert c.get("/api/v1/people/persons").status_code == 200
    _, raw = actions.issue_token(user=world.street_officer, name="对接", acting_user=world.street_officer)
    anon = Client(enforce_csrf_checks=True)
    assert (
        anon.post(
            "/api/v1/people/persons", body, content_type="application/json", headers=bearer(raw)
        ).status_code
        == 201
    )


def test_it_accepts_a_session_post_with_the_csrf_token(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world.street_officer)
    secret = "Csrf0123456789abcdefghijklmnopqr"  # any 32 letters/digits is a valid secret
    c.cookies["csrftoken"] = secret
    r = c.post(
        "/api/v1/people/persons",
        {"name": "新居民", "home": world.compound_a1.pk},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert r.status_code == 201, r.content
