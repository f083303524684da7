import itertools

import pytest

from dangjian.points import workflow
from dangjian.points.choices import OrderStatus as S

EXPECTED = {
    (S.PLACED, workflow.PICKUP, workflow.STAFF): S.PICKED_UP,
    (S.PLACED, workflow.CANCEL, workflow.STAFF): S.CANCELLED,
    (S.PLACED, workflow.CANCEL, workflow.PERSON): S.CANCELLED,
}


@pytest.mark.parametrize(
    ("state", "event", "actor"),
    list(itertools.product(S.values, workflow.EVENTS, [workflow.PERSON, workflow.STAFF])),
)
def test_every_state_event_actor(state, event, actor):
    expected = EXPECTED.get((state, event, actor))
    if expected is None:
        with pytest.raises(workflow.TransitionError):
            workflow.next_state(state, event, actor)
    else:
        assert workflow.next_state(state, event, actor) == expected
