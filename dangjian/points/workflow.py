"""The redemption order state machine as data: ``(state, event) → (next state, who may fire it)``.

Pure: no database. ``actions.py`` applies a transition with a compare-and-swap on the
status column and records an ``OrderTransition`` row.
"""

from __future__ import annotations

from dangjian.points.choices import OrderStatus as S

PERSON = "person"  # the resident who placed the order
STAFF = "staff"  # community staff running the 爱心超市

PICKUP = "pickup"
CANCEL = "cancel"
EVENTS = (PICKUP, CANCEL)
EVENT_LABELS = {PICKUP: "领取", CANCEL: "取消"}

TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    (S.PLACED, PICKUP): (S.PICKED_UP, frozenset({STAFF})),
    (S.PLACED, CANCEL): (S.CANCELLED, frozenset({PERSON, STAFF})),
}


class TransitionError(Exception):
    """The event is not allowed from this state, or not for this actor."""


def next_state(state: str, event: str, actor: str) -> str:
    entry = TRANSITIONS.get((state, event))
    if entry is None:
        raise TransitionError(f"订单“{S(state).label}”，不能{EVENT_LABELS.get(event, event)}")
    if actor not in entry[1]:
        raise TransitionError(f"您不能{EVENT_LABELS.get(event, event)}这张订单")
    return entry[0]
