"""The appeal state machine as data: ``(state, event) → (next state, who may fire it)``.

Pure: no database. ``actions.py`` applies a transition with a compare-and-swap on the
status column and records a ``Transition`` row. Guards that need the case (a reason for a
rejection, reopening only once, whistling only at street tier) live in the actions.

The loop follows Yulin's five steps (群众反映 → 信息收集 → 分类派遣 → 问题处置 → 反馈评价) and
the case stages of the digital city-management systems (GB/T 30428: 受理、立案、派遣、处置、
核查、结案), with 吹哨报到 and 主动认领 from the Guangxi practice.
"""

from __future__ import annotations

from dangjian.appeals.choices import Actor as A
from dangjian.appeals.choices import Event as E
from dangjian.appeals.choices import Status as S

_ANY_CLOSER = frozenset({A.DISPATCHER})
_CANCELLERS = frozenset({A.REPORTER, A.DISPATCHER})

TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    # 受理 / 立案
    (S.SUBMITTED, E.ACCEPT): (S.ACCEPTED, frozenset({A.DISPATCHER})),
    (S.SUBMITTED, E.REJECT): (S.REJECTED, frozenset({A.DISPATCHER})),
    (S.SUBMITTED, E.CLOSE_DUPLICATE): (S.DUPLICATE, _ANY_CLOSER),
    (S.SUBMITTED, E.CLOSE_NOT_OURS): (S.NOT_OURS, _ANY_CLOSER),
    (S.SUBMITTED, E.CANCEL): (S.CANCELLED, _CANCELLERS),
    # 分类派遣: dispatch to a handler, publish for claiming, or (street) blow the whistle
    (S.ACCEPTED, E.DISPATCH): (S.DISPATCHED, frozenset({A.DISPATCHER})),
    (S.ACCEPTED, E.PUBLISH): (S.PUBLISHED, frozenset({A.DISPATCHER})),
    (S.ACCEPTED, E.WHISTLE): (S.WHISTLED, frozenset({A.STREET})),
    (S.ACCEPTED, E.ESCALATE): (S.ACCEPTED, frozenset({A.DISPATCHER, A.SYSTEM})),
    (S.ACCEPTED, E.CLOSE_DUPLICATE): (S.DUPLICATE, _ANY_CLOSER),
    (S.ACCEPTED, E.CLOSE_NOT_OURS): (S.NOT_OURS, _ANY_CLOSER),
    (S.ACCEPTED, E.CANCEL): (S.CANCELLED, _CANCELLERS),
    # 主动认领
    (S.PUBLISHED, E.CLAIM): (S.IN_PROGRESS, frozenset({A.CLAIMER})),
    (S.PUBLISHED, E.DISPATCH): (S.DISPATCHED, frozenset({A.DISPATCHER})),
    (S.PUBLISHED, E.CANCEL): (S.CANCELLED, _CANCELLERS),
    # 签收
    (S.DISPATCHED, E.ACKNOWLEDGE): (S.IN_PROGRESS, frozenset({A.HANDLER})),
    (S.DISPATCHED, E.SEND_BACK): (S.ACCEPTED, frozenset({A.HANDLER})),
    (S.DISPATCHED, E.ESCALATE): (S.ACCEPTED, frozenset({A.DISPATCHER, A.HANDLER, A.SYSTEM})),
    (S.DISPATCHED, E.CANCEL): (S.CANCELLED, _CANCELLERS),
    # 处置
    (S.IN_PROGRESS, E.FEEDBACK): (S.HANDLED, frozenset({A.HANDLER})),
    (S.IN_PROGRESS, E.ESCALATE): (S.ACCEPTED, frozenset({A.DISPATCHER, A.HANDLER, A.SYSTEM})),
    (S.IN_PROGRESS, E.WHISTLE): (S.WHISTLED, frozenset({A.STREET})),
    # 街道吹哨、部门报到: the street gathers the departments' results and feeds back
    (S.WHISTLED, E.FEEDBACK): (S.HANDLED, frozenset({A.STREET})),
    (S.WHISTLED, E.ESCALATE): (S.ACCEPTED, frozenset({A.STREET, A.SYSTEM})),
    # 核查
    (S.HANDLED, E.VERIFY_PASS): (S.CLOSED, frozenset({A.VERIFIER})),
    (S.HANDLED, E.VERIFY_RETURN): (S.IN_PROGRESS, frozenset({A.VERIFIER})),
    # 评价: 不满意 reopens once, one level up (the action fires REOPEN as the system)
    (S.CLOSED, E.RATE): (S.RATED, frozenset({A.REPORTER})),
    (S.RATED, E.REOPEN): (S.ACCEPTED, frozenset({A.SYSTEM})),
}

# Events that must carry a written reason.
NEEDS_REASON = frozenset(
    {E.REJECT, E.CLOSE_DUPLICATE, E.CLOSE_NOT_OURS, E.CANCEL, E.SEND_BACK, E.VERIFY_RETURN, E.ESCALATE}
)


class TransitionError(Exception):
    """The event is not allowed from this state, or not for this actor."""


def next_state(state: str, event: str) -> str:
    try:
        return TRANSITIONS[(state, event)][0]
    except KeyError:
        raise TransitionError(f"当前状态“{S(state).label}”不能执行“{E(event).label}”") from None


def allowed_actors(state: str, event: str) -> frozenset[str]:
    entry = TRANSITIONS.get((state, event))
    return entry[1] if entry else frozenset()


def events_from(state: str) -> list[str]:
    return [e for (s, e) in TRANSITIONS if s == state]


def check(state: str, event: str, actor_kinds: set[str]) -> str:
    """Return the next state if one of ``actor_kinds`` may fire ``event`` from ``state``."""
    target = next_state(state, event)
    if not (allowed_actors(state, event) & actor_kinds):
        raise TransitionError(f"您无权在“{S(state).label}”状态执行“{E(event).label}”")
    return target
