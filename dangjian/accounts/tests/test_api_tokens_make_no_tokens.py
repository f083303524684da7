"""A token cannot create tokens, so revoking a token cuts off everything it could do —
also with the per-process token cache on."""

from dangjian.accounts import actions
from dangjian.accounts.models import ApiToken


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_it_refuses_to_create_a_token_with_a_token(world, client, settings):
    settings.API_AUTH_CACHE_SECONDS = 60
    token, raw = actions.issue_token(user=world.street_officer, name="脚本", acting_user=world.street_officer)
    r = client.post(
        "/api/v1/accounts/tokens", {"name": "子令牌"}, content_type="application/json", headers=bearer(raw)
    )
    assert r.status_code == 403
    assert r.json() == {
        "detail": "API 令牌不能用来创建新令牌，请登录网页后创建，或由管理员用 dangjian token create 创建"
    }
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [token.pk]


def test_it_stops_a_revoked_token_at_once_despite_the_cache(world, login, settings):
    settings.API_AUTH_CACHE_SECONDS = 60
    c = login(world.street_officer)
    created = c.post("/api/v1/accounts/tokens", {"name": "热线"}, content_type="application/json").json()
    c.logout()
    assert c.get("/api/v1/accounts/me", headers=bearer(created["key"])).status_code == 200  # now cached
    c = login(world.street_officer)
    assert c.delete(f"/api/v1/accounts/tokens/{created['id']}").status_code == 204
    c.logout()
    assert c.get("/api/v1/accounts/me", headers=bearer(created["key"])).status_code == 401


def test_a_logged_in_browser_still_creates_tokens(world, login):
    r = login(world.grid_worker).post(
        "/api/v1/accounts/tokens", {"name": "巡查App"}, content_type="application/json"
    )
    assert r.status_code == 201
