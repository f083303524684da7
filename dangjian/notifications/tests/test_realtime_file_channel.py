"""Realtime users get their channels after the commit, through the worker task; a re-run
never sends twice."""

from __future__ import annotations

from dangjian.notifications import actions
from dangjian.notifications.models import Delivery
from dangjian.notifications.tasks import deliver_notification
from dangjian.notifications.tests.conftest import read_log


def test_it_delivers_to_the_file_channel_after_commit(
    world, immediate_tasks, notification_log, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (n,) = actions.notify(
            users=[world.grid_worker], kind="appeal.dispatched", title="新诉求已派单", url="/appeals/7/"
        )
    assert read_log(notification_log) == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    (line,) = read_log(notification_log)
    assert (line["user_id"], line["title"], line["kind"]) == (
        world.grid_worker.pk,
        "新诉求已派单",
        "appeal.dispatched",
    )
    assert line["url"].endswith("/appeals/7/")
    delivery = Delivery.objects.get(notification=n)
    assert (delivery.channel, delivery.status, delivery.attempts) == ("file", "sent", 1)
    assert delivery.sent_at is not None

    deliver_notification.call(n.pk)  # the worker runs it again: nothing more is sent
    assert len(read_log(notification_log)) == 1
    assert Delivery.objects.get(notification=n).attempts == 1


def test_it_sends_nothing_outside_for_digest_users_or_without_channels(
    world, immediate_tasks, notification_log, django_capture_on_commit_callbacks
):
    actions.set_preference(
        world.grid_worker, mode="digest", digest_hour=18, channels=["file"], acting_user=world.grid_worker
    )
    actions.set_preference(
        world.member, mode="realtime", digest_hour=18, channels=[], acting_user=world.member
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.notify(users=[world.grid_worker, world.member], kind="appeal.dispatched", title="派单")
    assert callbacks == []
    assert read_log(notification_log) == []
    assert not Delivery.objects.exists()
