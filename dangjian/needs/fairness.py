"""Fairness: the priority score of a waiting need, and the per-person load cap.

Priority (shown on the queue and the need page)::

    优先分 = 等待天数 + 15（60岁以上老人） + 15（残疾人） + 5（家庭帮扶）

Waiting counts from publication (上墙) for needs on the wall, from the post for needs
still under review. A need waiting 15 days weighs as much as an elderly resident's new
one, so nobody waits for ever behind the elderly and disabled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from dangjian.needs.choices import Kind

ELDERLY_AGE = 60
ELDERLY_BONUS = 15
DISABLED_BONUS = 15
FAMILY_BONUS = 5
DISABILITY_TAGS = ("残疾", "残障", "残疾人")


def max_open_claims() -> int:
    """Per-person load cap: open claims (接单未完成) one member may hold at once."""
    return int(getattr(settings, "NEEDS_MAX_OPEN_CLAIMS", 3))


def max_open_claims_unit() -> int:
    return int(getattr(settings, "NEEDS_MAX_OPEN_CLAIMS_UNIT", 10))


def unclaimed_alert_days() -> int:
    return int(getattr(settings, "NEEDS_UNCLAIMED_DAYS", 3))


def age_on(birth: dt.date | None, day: dt.date) -> int | None:
    if birth is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_elderly(birth: dt.date | None, day: dt.date) -> bool:
    age = age_on(birth, day)
    return age is not None and age >= ELDERLY_AGE


def has_disability_tag(tags: list[str] | None) -> bool:
    return any(any(t in tag for t in DISABILITY_TAGS) for tag in (tags or []))


@dataclass(frozen=True)
class Priority:
    score: float
    waiting_days: int
    parts: list[str]


def priority(need: Any, now: dt.datetime) -> Priority:
    since = need.published_at or need.created_at or now
    days = max(0, (now - since).days)
    score = float(days)
    parts = [f"等待{days}天 +{days}"]
    if need.elderly:
        score += ELDERLY_BONUS
        parts.append(f"老年人 +{ELDERLY_BONUS}")
    if need.disabled:
        score += DISABLED_BONUS
        parts.append(f"残疾人 +{DISABLED_BONUS}")
    if need.kind == Kind.FAMILY:
        score += FAMILY_BONUS
        parts.append(f"家庭帮扶 +{FAMILY_BONUS}")
    return Priority(score=score, waiting_days=days, parts=parts)
