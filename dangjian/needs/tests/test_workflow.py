"""The transition table, every (state, event) pair and every actor kind."""

from __future__ import annotations

import itertools

import pytest

from dangjian.needs import workflow
from dangjian.needs.choices import Actor, Event, Status

ALL_ACTORS = [a.value for a in Actor]


@pytest.mark.parametrize(("state", "event"), list(itertools.product(Status.values, Event.values)))
def test_it_answers_every_state_event_pair(state: str, event: str) -> None:
    entry = workflow.TRANSITIONS.get((state, event))
    if entry is None:
        with pytest.raises(workflow.TransitionError, match="不能执行"):
            workflow.next_state(state, event)
        for actor in ALL_ACTORS:
            with pytest.raises(workflow.TransitionError):
                workflow.check(state, event, {actor})
        assert event not in workflow.events_for(state, set(ALL_ACTORS))
        return
    target, allowed = entry
    assert target in Status.values
    assert allowed, "every transition names who may fire it"
    for actor in ALL_ACTORS:
        if actor in allowed:
            assert workflow.check(state, event, {actor}) == target
            assert event in workflow.events_for(state, {actor})
        else:
            with pytest.raises(workflow.TransitionError, match="无权"):
                workflow.check(state, event, {actor})


def test_it_follows_the_five_orders() -> None:
    # 群众点单 → 社区审核 → 支部下单 → 党员接单 → 机关买单 → 完成 → 确认 → 评价
    path = [
        (Status.SUBMITTED, Event.PUBLISH, Actor.REVIEWER),
        (Status.PUBLISHED, Event.ORDER, Actor.BRANCH),
        (Status.ORDERED, Event.CLAIM, Actor.CLAIMER),
        (Status.CLAIMED, Event.FUND, Actor.FUNDER),
        (Status.CLAIMED, Event.FULFIL, Actor.HANDLER),
        (Status.FULFILLED, Event.CONFIRM, Actor.RESIDENT),
        (Status.CONFIRMED, Event.RATE, Actor.RESIDENT),
    ]
    state: str = Status.SUBMITTED
    for expected, event, actor in path:
        assert state == expected
        state = workflow.check(state, event, {actor})
    assert state == Status.RATED


def test_terminal_states_have_no_way_out() -> None:
    for state in (Status.RATED, Status.REJECTED, Status.CANCELLED):
        assert workflow.events_from(state) == []


def test_events_with_reasons_are_in_the_table() -> None:
    used = {e for (_, e) in workflow.TRANSITIONS}
    assert used >= workflow.NEEDS_REASON
