"""The needs timer: alert when a need has waited on the wall unclaimed for N days.

Run by the worker (:mod:`dangjian.needs.tasks`) or ``manage.py needs_timers``; takes
``now`` so tests can move the clock. Idempotent: one alert per need per waiting period
of N days (a dedupe key), sent to the community workers and the street committee.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse

from dangjian.accounts.models import User
from dangjian.accounts.roles import Role
from dangjian.needs import fairness
from dangjian.needs.choices import WAITING_STATES
from dangjian.needs.models import Need
from dangjian.notifications.actions import notify


@dataclass
class Report:
    alerted: list[str] = field(default_factory=list)  # need numbers
    notifications: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"alerted": self.alerted, "notifications": self.notifications}


def _staff(need: Need) -> list[Any]:
    community = Q(assignments__role=Role.COMMUNITY_WORKER, assignments__node_id=need.community_id)
    street = Q(assignments__role=Role.STREET_OFFICER, assignments__node_id=need.street_id)
    return list(User.objects.filter(community | street, is_active=True, assignments__active=True).distinct())


def run(now: dt.datetime, *, days: int | None = None) -> Report:
    days = fairness.unclaimed_alert_days() if days is None else days
    report = Report()
    cutoff = now - dt.timedelta(days=days)
    waiting = Need.objects.filter(status__in=WAITING_STATES, published_at__lte=cutoff).order_by(
        "published_at"
    )
    for need in waiting.iterator():
        assert need.published_at is not None
        waited = (now - need.published_at).days
        period = waited // days
        prio = fairness.priority(need, now)
        sent = notify(
            users=_staff(need),
            kind="needs.unclaimed",
            title=f"心愿“{need.title}”已上墙 {waited} 天无人接单（优先分 {prio.score:g}）",
            body="请支部下单或指派党员、驻区单位接单。",
            url=reverse("needs:detail", args=[need.pk]),
            dedupe_key=f"needs:unclaimed:{need.pk}:{period}",
        )
        if sent:
            report.alerted.append(need.number or str(need.pk))
            report.notifications += len(sent)
    return report
