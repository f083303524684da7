"""Reminders before the response and resolve deadlines go out once, however often the timers run."""

import datetime as dt

from dangjian.appeals import actions, timers
from dangjian.notifications.models import Notification


def _dispatched(world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    return actions.dispatch_case(case, to_user=world.grid_worker, acting_user=world.grid_worker)


def test_it_reminds_the_handler_of_the_ack_deadline_once(world, report):
    case = _dispatched(world, report)
    now = case.ack_due - dt.timedelta(minutes=1)
    first = timers.run(now)
    second = timers.run(now)
    assert first.reminders == 1 and second.reminders == 0
    sent = Notification.objects.filter(kind="appeal.remind_ack")
    assert [n.user_id for n in sent] == [world.grid_worker.pk]
    assert case.number in sent.get().title
    assert not first.escalated  # not late yet


def test_it_does_not_remind_far_from_the_deadline(world, report):
    case = _dispatched(world, report)
    # Two working hours before the deadline is outside the one-hour window.
    from dangjian.core import workcal

    now = case.dispatched_at
    assert now is not None and case.ack_due is not None
    assert workcal.add_working_hours(now, 1) < case.ack_due
    assert timers.due_reminders(now) == 0


def test_it_reminds_of_the_resolve_deadline_once_per_deadline(world, report):
    case = actions.acknowledge_case(_dispatched(world, report), acting_user=world.grid_worker)
    assert case.resolve_due is not None
    now = case.resolve_due - dt.timedelta(minutes=1)
    assert timers.due_reminders(now) == 1
    assert timers.due_reminders(now) == 0
    assert Notification.objects.filter(kind="appeal.remind_resolve", user=world.grid_worker).count() == 1
