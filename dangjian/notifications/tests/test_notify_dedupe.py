"""notify() creates one in-app notification per user and never twice for the same event."""

from __future__ import annotations

import pytest

from dangjian.notifications import actions
from dangjian.notifications.models import Notification


def test_it_creates_one_notification_per_user(world):
    created = actions.notify(
        users=[world.street_officer, world.grid_worker, world.grid_worker],
        kind="appeal.dispatched",
        title="新诉求已派单",
        body="东湖一号小区路灯不亮",
        url="/appeals/1/",
    )
    assert len(created) == 2
    assert sorted(Notification.objects.values_list("user__name", flat=True)) == ["网格员小王", "陵城街道干部"]
    n = Notification.objects.get(user=world.grid_worker)
    assert (n.kind, n.title, n.url, n.read_at) == ("appeal.dispatched", "新诉求已派单", "/appeals/1/", None)


def test_it_skips_a_duplicate_dedupe_key_for_the_same_user(world):
    first = actions.notify(
        users=[world.grid_worker], kind="appeal.dispatched", title="派单", dedupe_key="appeal:1:d"
    )
    again = actions.notify(
        users=[world.grid_worker, world.street_officer],
        kind="appeal.dispatched",
        title="派单",
        dedupe_key="appeal:1:d",
    )
    assert len(first) == 1
    assert [n.user for n in again] == [world.street_officer]
    assert Notification.objects.filter(user=world.grid_worker, dedupe_key="appeal:1:d").count() == 1
    # Without a key, every call notifies.
    actions.notify(users=[world.grid_worker], kind="appeal.dispatched", title="派单")
    actions.notify(users=[world.grid_worker], kind="appeal.dispatched", title="派单")
    assert Notification.objects.filter(user=world.grid_worker).count() == 3


@pytest.mark.parametrize(
    ("kind", "title", "url"),
    [
        ("Appeal Dispatched", "派单", ""),
        ("appeal.dispatched", "  ", ""),
        ("appeal.x", "派单", "javascript:alert(1)"),
    ],
)
def test_it_refuses_a_bad_call_and_creates_nothing(world, kind, title, url):
    with pytest.raises(ValueError):
        actions.notify(users=[world.grid_worker], kind=kind, title=title, url=url)
    assert not Notification.objects.exists()
