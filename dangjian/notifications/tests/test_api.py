"""The API: my notifications only, mark read, preferences."""

from __future__ import annotations

import json

from dangjian.notifications import actions
from dangjian.notifications.models import Notification

BASE = "/api/v1/notifications"


def make(world):
    mine = [
        actions.notify(users=[world.grid_worker], kind="appeal.dispatched", title=f"派单{i}")[0]
        for i in range(3)
    ]
    other = actions.notify(users=[world.outsider], kind="appeal.dispatched", title="城南的")[0]
    return mine, other


def test_it_lists_my_notifications(world, login, django_assert_max_num_queries):
    mine, _ = make(world)
    actions.mark_read(world.grid_worker, [mine[2].pk])
    client = login(world.grid_worker)
    with django_assert_max_num_queries(4):
        data = client.get(BASE).json()
    assert data["count"] == 3
    assert [(i["title"], i["is_read"]) for i in data["items"]] == [
        ("派单1", False),
        ("派单0", False),
        ("派单2", True),
    ]
    unread = client.get(BASE + "?unread=true").json()
    assert [i["title"] for i in unread["items"]] == ["派单1", "派单0"]


def test_it_answers_404_for_someone_elses_notification(world, login):
    mine, other = make(world)
    client = login(world.grid_worker)
    assert client.get(f"{BASE}/{mine[0].pk}").json()["title"] == "派单0"
    response = client.get(f"{BASE}/{other.pk}")
    assert response.status_code == 404 and response.json() == {"detail": "未找到或无权访问"}


def test_it_marks_read_only_my_own(world, login):
    mine, other = make(world)
    client = login(world.grid_worker)
    response = client.post(
        f"{BASE}/read", json.dumps({"ids": [mine[0].pk, other.pk]}), content_type="application/json"
    )
    assert response.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.get(pk=other.pk).read_at is None
    response = client.post(f"{BASE}/read", json.dumps({"all": True}), content_type="application/json")
    assert response.json() == {"marked": 2, "unread": 0}
    empty = client.post(f"{BASE}/read", json.dumps({}), content_type="application/json")
    assert empty.status_code == 422 and "ids" in empty.json()["errors"]


def test_it_reads_and_writes_preferences(world, login, settings):
    settings.NOTIFICATION_CHANNELS = ["file", "email"]
    client = login(world.member)
    data = client.get(f"{BASE}/preferences").json()
    assert (data["mode"], data["digest_hour"], data["channels"]) == ("realtime", 18, ["file"])
    assert [c["name"] for c in data["available_channels"]] == ["file", "email"]
    bad = client.put(
        f"{BASE}/preferences",
        json.dumps({"mode": "digest", "channels": ["email"], "email": "x"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"] == {"email": ["电子邮箱格式不正确"]}
    ok = client.put(
        f"{BASE}/preferences",
        json.dumps({"mode": "digest", "digest_hour": 20, "channels": ["email"], "email": "m@example.cn"}),
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert (ok.json()["mode_label"], ok.json()["digest_hour"], ok.json()["email"]) == (
        "每日汇总",
        20,
        "m@example.cn",
    )


def test_it_needs_authentication(client):
    assert client.get(BASE).status_code == 401
