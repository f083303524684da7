"""The closed loop through the actions: report → accept → dispatch → acknowledge → feedback
→ verify → rate, with the transition log, tiers, reopening and the counters."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangjian.appeals import actions, stats, workflow
from dangjian.appeals.choices import Status, Tier
from dangjian.appeals.models import Case, Transition


def assert_counters_match_recount():
    assert stats.stored() == stats.recount()


def test_it_runs_the_whole_loop_at_the_grid(world, report):
    case = report()
    assert case.status == Status.SUBMITTED and case.tier == Tier.GRID and case.grid_id == world.grid_a1.pk
    assert case.number.startswith("BL-") and case.number.endswith("-0001")
    gw = world.grid_worker  # 小事一格解决: the grid worker accepts and handles it
    case = actions.accept_case(case, acting_user=gw)
    case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
    assert case.ack_due is not None and case.resolve_due is not None
    case = actions.acknowledge_case(case, acting_user=gw)
    actions.add_progress(case, text="已联系供电所", acting_user=gw)
    case = actions.feedback_case(case, result="已更换灯泡", acting_user=gw)
    case = actions.verify_case(case, passed=True, acting_user=world.street_officer)
    case = actions.rate_case(case, rating="satisfied", acting_user=world.resident)
    assert case.status == Status.RATED and case.ack_on_time and case.closed_on_time
    events = list(Transition.objects.filter(case=case).values_list("event", "from_state", "to_state"))
    assert [e[0] for e in events] == [
        "submit",
        "accept",
        "dispatch",
        "acknowledge",
        "feedback",
        "verify_pass",
        "rate",
    ]
    assert all(t.actor_id for t in Transition.objects.filter(case=case).exclude(event="submit"))
    r = stats.rates_for(world.street_a.pk, case.received_on, case.received_on)
    assert (r.response, r.resolution, r.satisfaction, r.on_time, r.rework) == (1.0, 1.0, 1.0, 1.0, 0.0)
    assert_counters_match_recount()


def test_unsatisfied_reopens_once_one_level_up(world, report):
    gw = world.grid_worker
    case = report()
    for step in ("accept", "dispatch", "ack", "feedback", "verify"):
        if step == "accept":
            case = actions.accept_case(case, acting_user=gw)
        elif step == "dispatch":
            case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
        elif step == "ack":
            case = actions.acknowledge_case(case, acting_user=gw)
        elif step == "feedback":
            case = actions.feedback_case(case, result="处理了", acting_user=gw)
        else:
            case = actions.verify_case(case, passed=True, acting_user=gw)
    case = actions.rate_case(case, rating="unsatisfied", comment="还是不亮", acting_user=world.resident)
    assert case.status == Status.ACCEPTED and case.tier == Tier.COMMUNITY and case.reopen_count == 1
    assert case.handling_node_id == world.community_a.pk
    assert Transition.objects.filter(case=case, event="reopen", actor__isnull=True).count() == 1
    # the grid worker is no longer the dispatcher at community tier
    with pytest.raises(workflow.TransitionError):
        actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
    case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=world.street_officer)
    case = actions.acknowledge_case(case, acting_user=gw)
    case = actions.feedback_case(case, result="换了线路", acting_user=gw)
    case = actions.verify_case(case, passed=True, acting_user=world.street_officer)
    case = actions.rate_case(case, rating="unsatisfied", acting_user=world.resident)
    assert case.status == Status.RATED and case.reopen_count == 1  # only once
    r = stats.rates_for(world.city.pk, case.received_on, case.received_on)
    assert r.counts["rated"] == 1 and r.counts["unsatisfied"] == 1
    assert_counters_match_recount()


def test_rework_and_rates_on_a_hand_made_set(world, report):
    gw, so = world.grid_worker, world.street_officer
    cases = [report(title=f"问题{i}") for i in range(4)]
    for c in cases[:3]:
        c = actions.accept_case(c, acting_user=gw)
        c = actions.dispatch_case(c, to_node=world.grid_a1, acting_user=gw)
        c = actions.acknowledge_case(c, acting_user=gw)
        c = actions.feedback_case(c, result="好了", acting_user=gw)
    first = Case.objects.get(pk=cases[0].pk)
    first = actions.verify_case(first, passed=False, note="照片不清楚，返工", acting_user=so)
    first = actions.feedback_case(first, result="补充照片", acting_user=gw)
    actions.verify_case(first, passed=True, acting_user=so)
    second = actions.verify_case(Case.objects.get(pk=cases[1].pk), passed=True, acting_user=so)
    actions.rate_case(second, rating="basic", acting_user=world.resident)
    actions.reject_case(cases[3], reason="内容不实", acting_user=gw)
    day = cases[0].received_on
    r = stats.rates_for(world.grid_a1.pk, day, day)
    # 4 received, 3 accepted & dispatched & acked on time, 3 fed back, 1 reworked, 2 closed, 1 rated (基本满意)
    assert r.counts["received"] == 4 and r.counts["accepted"] == 3 and r.counts["handled"] == 3
    assert r.response == 1.0
    assert r.resolution == round(2 / 3, 4)
    assert r.rework == round(1 / 3, 4)
    assert r.satisfaction == 1.0
    assert r.on_time == 1.0
    assert_counters_match_recount()


def test_reasons_are_required_and_a_lost_race_changes_nothing(world, report):
    case = report()
    with pytest.raises(ValidationError, match="须填写原因"):
        actions.reject_case(case, reason=" ", acting_user=world.grid_worker)
    stale = Case.objects.get(pk=case.pk)
    actions.accept_case(case, acting_user=world.grid_worker)
    with pytest.raises(workflow.TransitionError):
        actions.reject_case(stale, reason="重复", acting_user=world.grid_worker)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED
    assert Transition.objects.filter(case=case).count() == 2


def test_outsiders_cannot_move_a_case(world, report):
    case = report()
    for user in (world.outsider, world.member, world.resident):
        with pytest.raises(workflow.TransitionError):
            actions.accept_case(case, acting_user=user)
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_rebuild_restores_counters_from_the_cases(world, report):
    from dangjian.appeals.models import CaseStat

    case = actions.accept_case(report(), acting_user=world.grid_worker)
    Case.objects.filter(pk=case.pk).update(
        received_on=case.received_on - datetime.timedelta(days=3)
    )  # back-dated
    assert stats.stored() != stats.recount()
    CaseStat.objects.update(received=99)
    # day and month rows, each for the category and for all categories, at city … grid
    assert stats.rebuild() == 20
    assert_counters_match_recount()
