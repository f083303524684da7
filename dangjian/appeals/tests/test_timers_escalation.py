"""A dispatched case nobody acknowledged in time is handed one level up by the system, once."""

import datetime as dt

from django.utils import timezone

from dangjian.appeals import actions, timers
from dangjian.appeals.choices import Event, Status, Tier
from dangjian.appeals.models import Case, Transition


def test_it_escalates_an_unacknowledged_case_past_its_deadline(world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.dispatch_case(case, to_user=world.grid_worker, acting_user=world.grid_worker)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(ack_due=now - dt.timedelta(hours=1))

    first = timers.escalations(now)
    second = timers.escalations(now)

    case.refresh_from_db()
    assert first.escalated == [case.number] and second.escalated == []
    assert case.status == Status.ACCEPTED and case.tier == Tier.COMMUNITY
    assert case.handling_node_id == world.community_a.pk and case.assignee_user_id is None
    escalations = Transition.objects.filter(case=case, event=Event.ESCALATE)
    assert escalations.count() == 1
    row = escalations.get()
    assert row.actor_id is None and row.note == timers.AUTO_ESCALATE_REASON


def test_it_leaves_an_acknowledged_case_alone(world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.dispatch_case(case, to_user=world.grid_worker, acting_user=world.grid_worker)
    case = actions.acknowledge_case(case, acting_user=world.grid_worker)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(ack_due=now - dt.timedelta(hours=1))
    assert timers.escalations(now).escalated == []
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
