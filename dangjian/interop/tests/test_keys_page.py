"""The 接口密钥 page: city administrators (and superusers) only; others get 404."""

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.interop import actions
from dangjian.interop.models import ApiKey, hash_key

URL = "/interop/keys/"


def test_an_admin_issues_a_key_and_sees_it_once(world, login):
    client = login(world.admin)
    page = client.get(URL)
    assert page.status_code == 200 and "还没有签发密钥" in page.content.decode()
    page = client.post(URL, {"name": "12345 热线对接"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    key = ApiKey.objects.get()
    raw = page.context["raw_key"]
    assert key.key_hash == hash_key(raw) and key.created_by == world.admin
    assert raw in page.content.decode()
    again = client.get(URL).content.decode()
    assert raw not in again and key.prefix in again and "有效" in again


def test_an_admin_revokes_a_key(world, login):
    key, raw = actions.issue_key(name="旧系统", acting_user=world.admin)
    client = login(world.admin)
    response = client.post(f"/interop/keys/{key.pk}/revoke/", follow=True)
    assert response.status_code == 200 and "已吊销密钥" in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None and actions.authenticate(raw) is None
    assert client.get(f"/interop/keys/{key.pk}/revoke/").status_code == 405


def test_a_blank_name_is_refused_in_chinese(world, login):
    page = login(world.admin).post(URL, {"name": "  "})
    assert page.status_code == 400 and "请填写客户端名称" in page.content.decode()
    assert not ApiKey.objects.exists()


def test_a_superuser_may_manage_keys(world, login):
    root = account_actions.create_user(
        phone="13000000099", password="Root#2026x", name="运维", acting_user=None
    )
    type(root).objects.filter(pk=root.pk).update(is_superuser=True)  # set-up only
    root.refresh_from_db()
    assert login(root).get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["street_officer", "grid_worker", "outsider", "resident", "member"])
def test_everyone_else_gets_404(world, login, persona):
    key, _ = actions.issue_key(name="对接", acting_user=world.admin)
    client = login(getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"name": "偷偷签发"}).status_code == 404
    assert client.post(f"/interop/keys/{key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.count() == 1 and ApiKey.objects.get().revoked_at is None


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_costs_a_fixed_number_of_queries(world, login, django_assert_max_num_queries):
    for i in range(5):
        actions.issue_key(name=f"系统{i}", acting_user=world.admin)
    client = login(world.admin)
    with django_assert_max_num_queries(8):
        assert client.get(URL).status_code == 200
