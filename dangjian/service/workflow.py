"""The five steps of volunteer service as data (seed 004: 服务收集、分配、分解、开展、反馈).

``(step, event) → next step``. Pure: no database. Who may fire an event is decided in
``actions`` (community staff organise; the team leader may decompose, start and report
back on an activity given to the team). Events that need a written note are listed in
``NEEDS_NOTE``.
"""

from __future__ import annotations

from dangjian.service.choices import ActivityEvent as E
from dangjian.service.choices import ActivityStep as S

TRANSITIONS: dict[tuple[str, str], str] = {
    # 服务收集 → 分配: a team is chosen
    (S.COLLECTED, E.ASSIGN): S.ASSIGNED,
    (S.COLLECTED, E.CANCEL): S.CANCELLED,
    # 分配 → 分解: the work is split into tasks for volunteers
    (S.ASSIGNED, E.DECOMPOSE): S.DECOMPOSED,
    (S.ASSIGNED, E.REASSIGN): S.COLLECTED,
    (S.ASSIGNED, E.CANCEL): S.CANCELLED,
    # 分解 → 开展
    (S.DECOMPOSED, E.START): S.UNDERWAY,
    (S.DECOMPOSED, E.REASSIGN): S.COLLECTED,
    (S.DECOMPOSED, E.CANCEL): S.CANCELLED,
    # 开展 → 反馈
    (S.UNDERWAY, E.FEED_BACK): S.FED_BACK,
}

# Who may fire: "organiser" = community staff over the activity; "leader" = the team leader.
FIRED_BY: dict[str, frozenset[str]] = {
    E.ASSIGN: frozenset({"organiser"}),
    E.REASSIGN: frozenset({"organiser", "leader"}),
    E.CANCEL: frozenset({"organiser"}),
    E.DECOMPOSE: frozenset({"organiser", "leader"}),
    E.START: frozenset({"organiser", "leader"}),
    E.FEED_BACK: frozenset({"organiser", "leader"}),
}

NEEDS_NOTE = frozenset({E.REASSIGN, E.CANCEL, E.FEED_BACK})

FINAL = frozenset({S.FED_BACK, S.CANCELLED})


class TransitionError(Exception):
    """The event is not allowed from this step, or not for this actor."""


def next_step(step: str, event: str) -> str:
    try:
        return TRANSITIONS[(step, event)]
    except KeyError:
        raise TransitionError(f"当前环节“{S(step).label}”不能执行“{E(event).label}”") from None


def events_from(step: str) -> list[str]:
    return [e for (s, e) in TRANSITIONS if s == step]


def check(step: str, event: str, actor_kinds: set[str]) -> str:
    target = next_step(step, event)
    if not (FIRED_BY[event] & actor_kinds):
        raise TransitionError(f"您无权在“{S(step).label}”环节执行“{E(event).label}”")
    return target
