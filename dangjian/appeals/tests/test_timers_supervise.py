"""Overdue cases get a 督办 notification to the dispatching level, once per day."""

import datetime as dt

from django.utils import timezone

from dangjian.appeals import actions, timers
from dangjian.appeals.models import Case
from dangjian.notifications.models import Notification


def test_it_supervises_an_overdue_case_once_per_day(world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.dispatch_case(case, to_user=world.grid_worker, acting_user=world.grid_worker)
    case = actions.acknowledge_case(case, acting_user=world.grid_worker)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(resolve_due=now - dt.timedelta(days=2))
    supervise = Notification.objects.filter(kind="appeal.supervise").order_by("id")

    assert timers.escalations(now).supervised == 1
    assert timers.escalations(now + dt.timedelta(minutes=5)).supervised == 0
    assert [n.user_id for n in supervise] == [world.grid_worker.pk]
    assert "督办" in supervise.get().title and case.number in supervise.get().title

    assert timers.escalations(now + dt.timedelta(days=1)).supervised == 1
    assert supervise.all().count() == 2
    assert not supervise.filter(user=world.street_officer).exists()


def test_a_closed_case_is_not_supervised(world, report):
    gw = world.grid_worker
    case = actions.accept_case(report(), acting_user=gw)
    case = actions.dispatch_case(case, to_user=gw, acting_user=gw)
    case = actions.acknowledge_case(case, acting_user=gw)
    case = actions.feedback_case(case, result="已修复", acting_user=gw)
    case = actions.verify_case(case, passed=True, acting_user=gw)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(resolve_due=now - dt.timedelta(days=2))
    assert timers.escalations(now).supervised == 0
