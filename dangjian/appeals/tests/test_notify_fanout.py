"""Case events notify the right people after the commit, once per transition."""

import pytest
from django.db import transaction

from dangjian.appeals import actions, events
from dangjian.appeals.choices import Event
from dangjian.appeals.models import Transition
from dangjian.notifications.models import Notification


def _kind(event):
    return Notification.objects.filter(kind=f"appeal.{event}").order_by("id")


def test_it_notifies_the_department_a_case_is_dispatched_to(
    world, report, departments, django_capture_on_commit_callbacks
):
    (cg, cg_user), (_, hw_user) = departments["城市管理局"], departments["环境卫生管理站"]
    gw = world.grid_worker
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.accept_case(report(), acting_user=gw)
        case = actions.dispatch_case(case, to_unit=cg, acting_user=gw)
    sent = _kind(Event.DISPATCH)
    assert [n.user_id for n in sent] == [cg_user.pk]  # not 环卫, not the dispatcher himself
    assert case.number in sent.get().title and "签收" in sent.get().body
    assert not Notification.objects.filter(user=hw_user).exists()


def test_it_notifies_the_person_a_case_is_dispatched_to(world, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.accept_case(report(), acting_user=world.street_officer)
        actions.dispatch_case(case, to_user=world.grid_worker, acting_user=world.street_officer)
    assert [n.user_id for n in _kind(Event.DISPATCH)] == [world.grid_worker.pk]


def test_verify_pass_asks_the_reporter_and_followers_to_rate(
    world, report, django_capture_on_commit_callbacks
):
    gw = world.grid_worker
    with django_capture_on_commit_callbacks(execute=True):
        case = report()
        actions.follow_case(case, acting_user=world.member)
        case = actions.accept_case(case, acting_user=gw)
        case = actions.dispatch_case(case, to_user=gw, acting_user=gw)
        case = actions.acknowledge_case(case, acting_user=gw)
        case = actions.feedback_case(case, result="路灯已更换", acting_user=gw)
        case = actions.verify_case(case, passed=True, acting_user=world.street_officer)
    sent = _kind(Event.VERIFY_PASS)
    assert sorted(n.user_id for n in sent) == sorted([world.resident.pk, world.member.pk])
    to_reporter, to_follower = sent.get(user=world.resident), sent.get(user=world.member)
    assert to_reporter.title == "您反映的问题已办结，请评价" and case.tracking_token in to_reporter.url
    # A follower never receives the reporter's private tracking link.
    assert to_follower.title == "您关注的问题已办结" and case.tracking_token not in to_follower.url
    assert case.number in to_follower.url
    assert not sent.filter(user__in=[gw, world.street_officer, world.outsider]).exists()
    # Feedback went to the verifiers at the grid (the handler himself excluded: nobody else there).
    assert not _kind(Event.FEEDBACK).filter(user=gw).exists()

    # Replaying the same transition notifies nobody twice.
    row = Transition.objects.filter(case=case, event=Event.VERIFY_PASS).get()
    assert events.case_changed(case.pk, Event.VERIFY_PASS, row.pk) == 0
    assert _kind(Event.VERIFY_PASS).count() == 2


def test_a_rejection_tells_the_reporter_why(world, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject_case(report(), reason="不属于本平台受理范围", acting_user=world.grid_worker)
    sent = _kind(Event.REJECT).get()
    assert sent.user_id == world.resident.pk and "不属于本平台受理范围" in sent.body


def test_nothing_is_sent_when_the_action_rolls_back(world, report, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        case = actions.accept_case(report(), acting_user=world.grid_worker)
        actions.dispatch_case(case, to_user=world.street_officer, acting_user=world.grid_worker)
        raise RuntimeError("boom")
    assert not Notification.objects.exists()
