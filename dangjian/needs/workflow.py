"""The need state machine as data: ``(state, event) → (next state, who may fire it)``.

Pure: no database. The five orders of seed 000 (五单一体) are the spine:
群众点单 (a resident posts: ``submitted``) → 社区审核上墙 (``published``) → 支部下单 (``ordered``,
optionally directed to someone) → 党员接单 (``claimed``: a free claim off the wall or the
branch's assignment) → 机关买单 (``fund``: a unit pays, the state stays) → 完成 (``fulfilled``
with evidence) → 群众确认 (``confirmed``) → 评价 (``rated``). The fifth order, 工委清单, is the
street committee's list of all of them (``needs.ledger``).

Guards that need the record (the load cap, who an order is directed to, evidence present)
live in ``actions.py``.
"""

from __future__ import annotations

from dangjian.needs.choices import Actor as A
from dangjian.needs.choices import Event as E
from dangjian.needs.choices import Status as S

_STAFF = frozenset({A.REVIEWER})
_OWNER_OR_PROXY = frozenset({A.RESIDENT, A.PROXY})

TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    # 群众点单 → 社区审核
    (S.SUBMITTED, E.PUBLISH): (S.PUBLISHED, _STAFF),
    (S.SUBMITTED, E.REJECT): (S.REJECTED, _STAFF),
    (S.SUBMITTED, E.WITHDRAW): (S.CANCELLED, _OWNER_OR_PROXY),
    (S.SUBMITTED, E.CANCEL): (S.CANCELLED, _STAFF),
    # 心愿墙: 支部下单, or claimed freely, or assigned by the community
    (S.PUBLISHED, E.ORDER): (S.ORDERED, frozenset({A.BRANCH, A.REVIEWER})),
    (S.PUBLISHED, E.CLAIM): (S.CLAIMED, frozenset({A.CLAIMER})),
    (S.PUBLISHED, E.ASSIGN): (S.CLAIMED, frozenset({A.BRANCH, A.REVIEWER})),
    (S.PUBLISHED, E.WITHDRAW): (S.CANCELLED, _OWNER_OR_PROXY),
    (S.PUBLISHED, E.CANCEL): (S.CANCELLED, _STAFF),
    # 支部已下单 → 党员接单
    (S.ORDERED, E.CLAIM): (S.CLAIMED, frozenset({A.CLAIMER})),
    (S.ORDERED, E.ASSIGN): (S.CLAIMED, frozenset({A.BRANCH, A.REVIEWER})),
    (S.ORDERED, E.FUND): (S.ORDERED, frozenset({A.FUNDER, A.REVIEWER})),
    (S.ORDERED, E.WITHDRAW): (S.CANCELLED, _OWNER_OR_PROXY),
    (S.ORDERED, E.CANCEL): (S.CANCELLED, _STAFF),
    # 已接单: 机关买单, 完成, or give it back
    (S.CLAIMED, E.FUND): (S.CLAIMED, frozenset({A.FUNDER, A.REVIEWER})),
    (S.CLAIMED, E.FULFIL): (S.FULFILLED, frozenset({A.HANDLER})),
    (S.CLAIMED, E.RELEASE): (S.PUBLISHED, frozenset({A.HANDLER, A.REVIEWER})),
    (S.CLAIMED, E.CANCEL): (S.CANCELLED, _STAFF),
    # 群众确认 (or the grid worker for them, logged), or not done yet
    (S.FULFILLED, E.CONFIRM): (S.CONFIRMED, _OWNER_OR_PROXY),
    (S.FULFILLED, E.RETURN): (S.CLAIMED, _OWNER_OR_PROXY),
    # 评价
    (S.CONFIRMED, E.RATE): (S.RATED, _OWNER_OR_PROXY),
}

# Events that must carry a written reason.
NEEDS_REASON = frozenset({E.REJECT, E.WITHDRAW, E.CANCEL, E.RELEASE, E.RETURN})


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


def events_for(state: str, actor_kinds: set[str]) -> list[str]:
    """The events these actor kinds may fire now (for the buttons on a page)."""
    return [e for e in events_from(state) if allowed_actors(state, e) & actor_kinds]


def check(state: str, event: str, actor_kinds: set[str]) -> str:
    """Return the next state if one of ``actor_kinds`` may fire ``event`` from ``state``."""
    target = next_state(state, event)
    if not (allowed_actors(state, event) & actor_kinds):
        raise TransitionError(f"您无权在“{S(state).label}”状态执行“{E(event).label}”")
    return target
