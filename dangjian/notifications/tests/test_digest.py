"""Digest users get one summary a day, once their hour has come."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone

from dangjian.notifications import actions
from dangjian.notifications.models import Delivery, Notification
from dangjian.notifications.tests.conftest import read_log

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, day: int = 1) -> datetime.datetime:
    """``hour``:05 local time, ``day`` days from today (later than any notification made now)."""
    today = timezone.localdate()
    return datetime.datetime.combine(
        today + datetime.timedelta(days=day), datetime.time(hour, 5), tzinfo=SHANGHAI
    )


def digest_user(world, notification_log):
    actions.set_preference(
        world.grid_worker, mode="digest", digest_hour=18, channels=["file"], acting_user=world.grid_worker
    )
    for i in range(3):
        actions.notify(users=[world.grid_worker], kind="appeal.dispatched", title=f"诉求{i}")
    return world.grid_worker


def test_it_sends_one_summary_when_the_hour_has_come(world, notification_log):
    user = digest_user(world, notification_log)
    read = actions.notify(users=[user], kind="appeal.closed", title="已读的")[0]
    actions.mark_read(user, [read.pk])

    assert actions.send_digests(now=at(17)) == 0
    assert read_log(notification_log) == []

    assert actions.send_digests(now=at(18)) == 1
    (line,) = read_log(notification_log)
    assert line["title"] == "消息汇总：3 条未读"
    assert line["body"].splitlines() == ["1. 诉求2", "2. 诉求1", "3. 诉求0"]
    assert Notification.objects.filter(digest_sent_at__isnull=False).count() == 3
    assert Notification.objects.get(pk=read.pk).digest_sent_at is None
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

    # Later the same day: nothing again, not even for a new notification.
    actions.notify(users=[user], kind="appeal.dispatched", title="诉求3")
    assert actions.send_digests(now=at(21)) == 0
    assert len(read_log(notification_log)) == 1
    # The next day the new one is summarised, alone.
    assert actions.send_digests(now=at(18, day=2)) == 1
    assert read_log(notification_log)[1]["title"] == "消息汇总：1 条未读"


def test_it_skips_realtime_users_and_users_with_nothing_unread(world, notification_log):
    actions.notify(users=[world.member], kind="appeal.dispatched", title="实时用户的")
    actions.set_preference(
        world.resident, mode="digest", digest_hour=8, channels=["file"], acting_user=world.resident
    )
    assert actions.send_digests(now=at(20)) == 0
    assert read_log(notification_log) == []


def test_it_runs_as_a_command(world, notification_log, capsys):
    digest_user(world, notification_log)
    actions.set_preference(
        world.grid_worker, mode="digest", digest_hour=0, channels=["file"], acting_user=world.grid_worker
    )
    call_command("send_digests")
    assert "已发送 1 份消息汇总" in capsys.readouterr().out
    assert len(read_log(notification_log)) == 1
