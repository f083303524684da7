"""Every (state, event) pair of the workflow table, and who may fire it."""

import itertools

import pytest

from dangjian.appeals import workflow
from dangjian.appeals.choices import FINAL_STATES, Actor, Event, Status

EXPECTED = {
    (Status.SUBMITTED, Event.ACCEPT): Status.ACCEPTED,
    (Status.SUBMITTED, Event.REJECT): Status.REJECTED,
    (Status.SUBMITTED, Event.CLOSE_DUPLICATE): Status.DUPLICATE,
    (Status.SUBMITTED, Event.CLOSE_NOT_OURS): Status.NOT_OURS,
    (Status.SUBMITTED, Event.CANCEL): Status.CANCELLED,
    (Status.ACCEPTED, Event.DISPATCH): Status.DISPATCHED,
    (Status.ACCEPTED, Event.PUBLISH): Status.PUBLISHED,
    (Status.ACCEPTED, Event.WHISTLE): Status.WHISTLED,
    (Status.ACCEPTED, Event.ESCALATE): Status.ACCEPTED,
    (Status.ACCEPTED, Event.CLOSE_DUPLICATE): Status.DUPLICATE,
    (Status.ACCEPTED, Event.CLOSE_NOT_OURS): Status.NOT_OURS,
    (Status.ACCEPTED, Event.CANCEL): Status.CANCELLED,
    (Status.PUBLISHED, Event.CLAIM): Status.IN_PROGRESS,
    (Status.PUBLISHED, Event.DISPATCH): Status.DISPATCHED,
    (Status.PUBLISHED, Event.CANCEL): Status.CANCELLED,
    (Status.DISPATCHED, Event.ACKNOWLEDGE): Status.IN_PROGRESS,
    (Status.DISPATCHED, Event.SEND_BACK): Status.ACCEPTED,
    (Status.DISPATCHED, Event.ESCALATE): Status.ACCEPTED,
    (Status.DISPATCHED, Event.CANCEL): Status.CANCELLED,
    (Status.IN_PROGRESS, Event.FEEDBACK): Status.HANDLED,
    (Status.IN_PROGRESS, Event.ESCALATE): Status.ACCEPTED,
    (Status.IN_PROGRESS, Event.WHISTLE): Status.WHISTLED,
    (Status.WHISTLED, Event.FEEDBACK): Status.HANDLED,
    (Status.WHISTLED, Event.ESCALATE): Status.ACCEPTED,
    (Status.HANDLED, Event.VERIFY_PASS): Status.CLOSED,
    (Status.HANDLED, Event.VERIFY_RETURN): Status.IN_PROGRESS,
    (Status.CLOSED, Event.RATE): Status.RATED,
    (Status.RATED, Event.REOPEN): Status.ACCEPTED,
}


@pytest.mark.parametrize(("state", "event"), list(itertools.product(Status.values, Event.values)))
def test_it_allows_exactly_the_listed_transitions(state, event):
    expected = EXPECTED.get((state, event))
    if expected is None:
        with pytest.raises(workflow.TransitionError):
            workflow.next_state(state, event)
        assert workflow.allowed_actors(state, event) == frozenset()
    else:
        assert workflow.next_state(state, event) == expected
        assert workflow.allowed_actors(state, event), "every transition names who may fire it"


@pytest.mark.parametrize(("state", "event"), list(EXPECTED))
def test_it_refuses_actors_not_named_for_a_transition(state, event):
    allowed = workflow.allowed_actors(state, event)
    for actor in Actor.values:
        if actor in allowed:
            assert workflow.check(state, event, {actor}) == EXPECTED[(state, event)]
        else:
            with pytest.raises(workflow.TransitionError, match="无权"):
                workflow.check(state, event, {actor})


def test_final_states_have_no_way_out_except_reopening_a_rating():
    for state in FINAL_STATES:
        outs = workflow.events_from(state)
        assert outs == ([Event.REOPEN] if state == Status.RATED else [])


def test_only_the_system_reopens_and_only_the_reporter_rates():
    assert workflow.allowed_actors(Status.RATED, Event.REOPEN) == {Actor.SYSTEM}
    assert workflow.allowed_actors(Status.CLOSED, Event.RATE) == {Actor.REPORTER}
