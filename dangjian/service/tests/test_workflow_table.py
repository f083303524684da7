from itertools import product

import pytest

from dangjian.service import workflow
from dangjian.service.choices import ActivityEvent as E
from dangjian.service.choices import ActivityStep as S

EXPECTED: dict[tuple[str, str], str] = {
    (S.COLLECTED, E.ASSIGN): S.ASSIGNED,
    (S.COLLECTED, E.CANCEL): S.CANCELLED,
    (S.ASSIGNED, E.DECOMPOSE): S.DECOMPOSED,
    (S.ASSIGNED, E.REASSIGN): S.COLLECTED,
    (S.ASSIGNED, E.CANCEL): S.CANCELLED,
    (S.DECOMPOSED, E.START): S.UNDERWAY,
    (S.DECOMPOSED, E.REASSIGN): S.COLLECTED,
    (S.DECOMPOSED, E.CANCEL): S.CANCELLED,
    (S.UNDERWAY, E.FEED_BACK): S.FED_BACK,
}


@pytest.mark.parametrize(("step", "event"), list(product(S.values, E.values)))
def test_it_answers_every_pair(step: str, event: str) -> None:
    expected = EXPECTED.get((step, event))
    if expected is None:
        with pytest.raises(workflow.TransitionError):
            workflow.next_step(step, event)
        with pytest.raises(workflow.TransitionError):
            workflow.check(step, event, {"organiser", "leader"})
    else:
        assert workflow.next_step(step, event) == expected
        assert workflow.check(step, event, set(workflow.FIRED_BY[event])) == expected
        with pytest.raises(workflow.TransitionError):
            workflow.check(step, event, {"resident"})


@pytest.mark.parametrize("event", [E.ASSIGN, E.CANCEL])
def test_only_organisers_assign_and_cancel(event: str) -> None:
    step = S.COLLECTED
    with pytest.raises(workflow.TransitionError):
        workflow.check(step, event, {"leader"})


def test_final_steps_have_no_way_out() -> None:
    for step in workflow.FINAL:
        assert workflow.events_from(step) == []
