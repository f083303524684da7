"""The figures: counters kept per (day received, node, top category), and the rates.

Rates, each defined once here (and in the README):

- 响应率 response rate     = acknowledged within the response deadline ÷ dispatched
- 解决率 resolution rate   = closed (办结) ÷ accepted (立案)
- 满意率 satisfaction rate = (满意 + 基本满意) ÷ rated
- 按期办结率 on-time rate  = closed by the resolve deadline ÷ closed
- 返工率 rework rate       = cases returned for rework at least once ÷ cases fed back (处置反馈)

Every counter counts a case at most once (the first dispatch, the first close …; a
re-rating replaces the earlier rating), and is attributed to the day the case came in, so
a rate over a period is about the cases received in that period and can never exceed 1.
The actions call :func:`bump` in the same transaction as the change; :func:`recount`
rebuilds every row from the cases and must always agree.

Each case counts in a day row and in a month row (``monthly=True``, ``day`` = the first of
the month), each both under its top category and in the all-categories row (``category``
NULL), which rankings and totals read. :func:`period` reads a date range as its whole months plus the edge days, so
rankings over a year stay small at city scale.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Sum

from dangjian.appeals.models import Case, CaseStat
from dangjian.core.models import PLACEMENT_LEVELS

COUNTERS = (
    "received",
    "accepted",
    "dispatched",
    "ack_on_time",
    "handled",
    "reworked",
    "closed",
    "closed_on_time",
    "rated",
    "satisfied",
    "basic",
    "unsatisfied",
)
assert COUNTERS[0] == "received"  # received_statements writes 1 then zeros in this order
STAT_LEVELS = ("city", "county", "street", "community", "grid")  # compounds are not ranked


def case_nodes(case: Case) -> list[int]:
    return [nid for lvl in STAT_LEVELS if (nid := getattr(case, f"{lvl}_id")) is not None]


def month_of(day: date) -> date:
    return day.replace(day=1)


def spans(case: Case) -> tuple[tuple[date, bool], tuple[date, bool]]:
    """The (day, monthly) rows a case counts in: its day's and its month's."""
    return ((case.received_on, False), (month_of(case.received_on), True))


def _spans_q(case: Case) -> Q:
    q = Q()
    for day, monthly in spans(case):
        q |= Q(monthly=monthly, day=day)
    return q


def received_statements(case: Case) -> list[tuple[str, list[Any]]]:
    """A new case: create its day and month rows or add one to ``received`` — two upserts
    (INSERT … ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike) that the intake sends
    with the case."""
    table = CaseStat._meta.db_table
    rows = [(d.isoformat(), monthly, nid) for nid in case_nodes(case) for d, monthly in spans(case)]
    zeros = ", ".join(["0"] * (len(COUNTERS) - 1))
    values = ", ".join(f"(%s, %s, %s, %s, 1, {zeros})" for _ in rows)
    # Two statements: the category rows and the all-categories rows have different unique
    # indexes (the latter partial, WHERE category_id IS NULL), and one upsert names one.
    statements = []
    for category_id, target in (
        (case.top_category_id, "(node_id, monthly, day, category_id)"),
        (None, "(node_id, monthly, day) WHERE category_id IS NULL"),
    ):
        sql = (  # table and column names from the model
            f"INSERT INTO {table} (day, monthly, node_id, category_id, {', '.join(COUNTERS)}) VALUES {values} "  # noqa: S608
            f"ON CONFLICT {target} DO UPDATE SET received = {table}.received + 1"
        )
        params: list[Any] = []
        for d, monthly, nid in rows:
            params += [d, monthly, nid, category_id]
        statements.append((sql, params))
    return statements


def _rows_of(case: Case) -> Q:
    return (
        Q(node_id__in=case_nodes(case))
        & (Q(category_id=case.top_category_id) | Q(category__isnull=True))
        & _spans_q(case)
    )


def bump(case: Case, **deltas: int) -> None:
    """Add ``deltas`` (e.g. ``closed=1``) to every row the case counts in."""
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown counters {unknown}")
    if not any(deltas.values()):
        return
    CaseStat.objects.filter(_rows_of(case)).update(
        **{name: F(name) + delta for name, delta in deltas.items() if delta}
    )


def move_category(case: Case, *, to_top_id: int) -> None:
    """A case changes top-level category: take what it contributes off its old category's
    day and month rows and add it to the new category's (the all-categories rows stay)."""
    contribution = {name: value for name, value in case_counters(case).items() if value}
    periods = _spans_q(case)
    nodes = case_nodes(case)
    old_rows = CaseStat.objects.filter(periods, node_id__in=nodes, category_id=case.top_category_id)
    old_rows.update(**{name: F(name) - value for name, value in contribution.items()})
    old_rows.filter(received=0).delete()  # every counter ≤ received: an empty row, as recount has none
    CaseStat.objects.bulk_create(
        [
            CaseStat(day=d, monthly=monthly, node_id=nid, category_id=to_top_id)
            for nid in nodes
            for d, monthly in spans(case)
        ],
        ignore_conflicts=True,
    )
    CaseStat.objects.filter(periods, node_id__in=nodes, category_id=to_top_id).update(
        **{name: F(name) + value for name, value in contribution.items()}
    )


def case_counters(case: Case) -> dict[str, int]:
    """What one case contributes, read from its own columns (the definition of each counter)."""
    return {
        "received": 1,
        "accepted": int(case.accepted_at is not None),
        "dispatched": int(case.dispatched_at is not None),
        "ack_on_time": int(bool(case.ack_on_time)),
        "handled": int(case.handled_at is not None),
        "reworked": int(case.rework_count > 0),
        "closed": int(case.closed_at is not None),
        "closed_on_time": int(bool(case.closed_on_time)),
        "rated": int(bool(case.rating)),
        "satisfied": int(case.rating == "satisfied"),
        "basic": int(case.rating == "basic"),
        "unsatisfied": int(case.rating == "unsatisfied"),
    }


StatKey = tuple[bool, date, int, int | None]  # (monthly, day, node, category or None for all)


def recount(cases: Iterable[Case] | None = None) -> dict[StatKey, dict[str, int]]:
    """Rebuild every counter from the cases: ``{(monthly, day, node, category): counters}``."""
    rows: dict[StatKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for case in cases if cases is not None else Case.objects.iterator(chunk_size=2000):
        contribution = case_counters(case)
        for node_id in case_nodes(case):
            for key in (
                (monthly, day, node_id, category)
                for day, monthly in spans(case)
                for category in (case.top_category_id, None)
            ):
                row = rows[key]
                for name, value in contribution.items():
                    row[name] += value
    return dict(rows)


@transaction.atomic
def rebuild() -> int:
    """Replace every counter row with a recount from the cases (repair, back-dated imports).

    Takes the same locks as any write, so it must not run beside live intake on SQLite for
    long; on PostgreSQL it holds the CaseStat rows it rewrites. Returns the number of rows.
    """
    rows = recount()
    CaseStat.objects.all().delete()
    CaseStat.objects.bulk_create(
        [
            CaseStat(monthly=monthly, day=day, node_id=node, category_id=cat, **counters)
            for (monthly, day, node, cat), counters in rows.items()
        ],
        batch_size=2000,
    )
    return len(rows)


def stored() -> dict[StatKey, dict[str, int]]:
    return {
        (s.monthly, s.day, s.node_id, s.category_id): {name: getattr(s, name) for name in COUNTERS}
        for s in CaseStat.objects.iterator(chunk_size=5000)
    }


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period(start: date, end: date) -> Q:
    """The CaseStat rows that cover the days ``start`` … ``end`` exactly once: the month
    rows of every whole month inside the range, the day rows of the edge days."""
    first_whole = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last_whole = end if end == month_end(end) else end.replace(day=1) - timedelta(days=1)
    if first_whole > last_whole:  # no whole month inside: days only
        return Q(monthly=False, day__gte=start, day__lte=end)
    q = Q(monthly=True, day__gte=first_whole, day__lte=last_whole)
    if start < first_whole:
        q |= Q(monthly=False, day__gte=start, day__lt=first_whole)
    if last_whole < end:
        q |= Q(monthly=False, day__gt=last_whole, day__lte=end)
    return q


@dataclass(frozen=True)
class Rates:
    counts: dict[str, int]

    @staticmethod
    def _ratio(num: int, den: int) -> float | None:
        return round(num / den, 4) if den else None

    @property
    def response(self) -> float | None:
        return self._ratio(self.counts["ack_on_time"], self.counts["dispatched"])

    @property
    def resolution(self) -> float | None:
        return self._ratio(self.counts["closed"], self.counts["accepted"])

    @property
    def satisfaction(self) -> float | None:
        return self._ratio(self.counts["satisfied"] + self.counts["basic"], self.counts["rated"])

    @property
    def on_time(self) -> float | None:
        return self._ratio(self.counts["closed_on_time"], self.counts["closed"])

    @property
    def rework(self) -> float | None:
        return self._ratio(self.counts["reworked"], self.counts["handled"])

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "response_rate": self.response,
            "resolution_rate": self.resolution,
            "satisfaction_rate": self.satisfaction,
            "on_time_rate": self.on_time,
            "rework_rate": self.rework,
        }


def rates_for(node_id: int, start: date, end: date, *, category_id: int | None = None) -> Rates:
    """Rates for cases received in [start, end] at or below a node: one indexed sum."""
    q = Q(node_id=node_id) & period(start, end)
    q &= Q(category__isnull=True) if category_id is None else Q(category_id=category_id)
    agg = CaseStat.objects.filter(q).aggregate(**{name: Sum(name) for name in COUNTERS})
    return Rates({name: agg[name] or 0 for name in COUNTERS})


def rates_by(node_ids: list[int], start: date, end: date) -> dict[int, Rates]:
    """Rates for several nodes at once (rankings, drill-down)."""
    rows = (
        CaseStat.objects.filter(Q(node_id__in=node_ids, category__isnull=True) & period(start, end))
        .values("node_id")
        .annotate(**{name: Sum(name) for name in COUNTERS})
    )
    out = {nid: Rates(dict.fromkeys(COUNTERS, 0)) for nid in node_ids}
    for row in rows:
        out[row["node_id"]] = Rates({name: row[name] or 0 for name in COUNTERS})
    return out


def counts_by_category(node_id: int, start: date, end: date) -> list[dict[str, Any]]:
    """Counts per top-level category, the way the seeds report them (解决…等问题 N 个)."""
    return list(
        CaseStat.objects.filter(Q(node_id=node_id, category__isnull=False) & period(start, end))
        .values("category_id", "category__name")
        .annotate(received=Sum("received"), closed=Sum("closed"))
        .order_by("-closed", "-received")
    )


assert set(PLACEMENT_LEVELS) >= set(STAT_LEVELS)
