"""A user manages their own API tokens; the console command issues and revokes them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangjian.accounts import actions
from dangjian.accounts.models import ApiToken, hash_token


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_it_creates_a_token_and_shows_the_key_once(world, login):
    c = login(world.street_officer)
    r = c.post("/api/v1/accounts/tokens", {"name": "12345 热线对接"}, content_type="application/json")
    assert r.status_code == 201
    body = r.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == world.street_officer
    assert token.key_hash == hash_token(body["key"])
    listed = c.get("/api/v1/accounts/tokens").json()
    assert [t["id"] for t in listed] == [token.pk]
    assert "key" not in listed[0]
    c.logout()
    assert c.get("/api/v1/accounts/me", headers=bearer(body["key"])).json()["name"] == "陵城街道干部"


def test_it_refuses_a_blank_name_and_writes_nothing(world, login):
    c = login(world.street_officer)
    r = c.post("/api/v1/accounts/tokens", {"name": "  "}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"] == {"name": ["令牌名称不能为空"]}
    r = c.post("/api/v1/accounts/tokens", {}, content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"] == {"name": ["此项为必填项"]}
    assert not ApiToken.objects.exists()


def test_it_lists_only_ones_own_tokens(world, login):
    actions.issue_token(user=world.outsider, name="别人的", acting_user=world.outsider)
    mine, _ = actions.issue_token(user=world.street_officer, name="我的", acting_user=world.street_officer)
    assert [t["id"] for t in login(world.street_officer).get("/api/v1/accounts/tokens").json()] == [mine.pk]


def test_it_revokes_own_token(world, client):
    token, raw = actions.issue_token(user=world.grid_worker, name="巡查App", acting_user=world.grid_worker)
    r = client.delete(f"/api/v1/accounts/tokens/{token.pk}", headers=bearer(raw))
    assert r.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 401


def test_it_answers_404_for_someone_elses_token(world, login):
    other, _ = actions.issue_token(user=world.outsider, name="别人的", acting_user=world.outsider)
    r = login(world.street_officer).delete(f"/api/v1/accounts/tokens/{other.pk}")
    assert r.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_it_describes_me_with_roles_and_scope(world, login):
    body = login(world.grid_worker).get("/api/v1/accounts/me").json()
    assert body["name"] == "网格员小王"
    assert body["phone_masked"] == "130****0003"
    assert body["primary_role"] == "grid_worker"
    assert body["roles"] == [
        {
            "role": "grid_worker",
            "role_label": "网格员",
            "title": "",
            "node": {
                "id": world.grid_a1.pk,
                "name": "桂塘第一网格",
                "level": "grid",
                "code": world.grid_a1.code,
            },
        }
    ]
    assert "phone_enc" not in body and "phone_hash" not in body


def test_it_describes_a_resident_without_roles(world, login):
    body = login(world.resident).get("/api/v1/accounts/me").json()
    assert body["roles"] == []
    assert body["person_id"] == world.resident_person.pk


def test_the_command_creates_and_revokes(world, client):
    out = StringIO()
    call_command("token", "create", "13000000002", "脚本", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("dj_")
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 200
    out = StringIO()
    call_command("token", "revoke", raw[3:9], stdout=out)
    assert "已吊销" in out.getvalue()
    assert client.get("/api/v1/accounts/me", headers=bearer(raw)).status_code == 401


def test_the_command_refuses_unknown_phone_and_short_prefix(world):
    with pytest.raises(CommandError, match="没有手机号"):
        call_command("token", "create", "13999999999", "脚本")
    with pytest.raises(CommandError, match="至少"):
        call_command("token", "revoke", "ab")
    with pytest.raises(CommandError, match="没有以"):
        call_command("token", "revoke", "zzzzzz")
