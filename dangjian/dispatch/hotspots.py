"""热点问题: clusters of appeals on the same problem in one area and period.

Two cases of the period are linked when they are of the same problem domain (top-level
category), within ``LINK_RADIUS_M`` of each other, and their texts are alike (bigram Dice
≥ ``LINK_TEXT``, or ≥ ``LINK_TEXT_SAME_CATEGORY`` when the category is the same); a
hotspot is a connected group of at least ``MIN_CASES`` cases (union–find over the links,
neighbours found through the same ≈300 m cells as the duplicate look-up).

Heat index (热度指数)::

    heat = (2 × reporters + support + active days) × 0.5 ^ (days since the last report / 7)

- reporters: distinct people who reported (anonymous and hotline reports count once each);
- support: residents who followed one of the cases instead of reporting again, plus the
  duplicates merged into them;
- active days: distinct days on which it was reported — a problem that keeps coming back
  weighs more than one burst of reports;
- recency: the index halves for every 7 days without a new report.

A hotspot suggests a whistle (建议吹哨) when its cases involve two or more departments
(assigned, or named by the routing table), or when its heat reaches ``WHISTLE_HEAT``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dangjian.dispatch import similarity as sim

LINK_RADIUS_M = 500.0
LINK_TEXT = 0.3
LINK_TEXT_SAME_CATEGORY = 0.15
MIN_CASES = 3
RECENCY_HALF_LIFE_DAYS = 7
WHISTLE_HEAT = 20.0
WHISTLE_DEPARTMENTS = 2
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Point:
    case_id: int
    lng: float
    lat: float
    day: dt.date
    category: int
    top: int
    text: str


def heat_index(*, reporters: int, support: int, active_days: int, days_since_last: int) -> float:
    recency = 0.5 ** (max(days_since_last, 0) / RECENCY_HALF_LIFE_DAYS)
    return round((2 * reporters + support + active_days) * recency, 2)


def linked(a: Point, b: Point, grams: dict[int, frozenset[str]]) -> bool:
    if a.top != b.top:
        return False
    if sim.haversine_m(a.lng, a.lat, b.lng, b.lat) > LINK_RADIUS_M:
        return False
    text = sim.dice(grams[a.case_id], grams[b.case_id])
    return text >= (LINK_TEXT_SAME_CATEGORY if a.category == b.category else LINK_TEXT)


def clusters(points: list[Point], min_cases: int = MIN_CASES) -> list[list[Point]]:
    """Connected groups of linked points with at least ``min_cases`` members, largest first."""
    parent = {p.case_id: p.case_id for p in points}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    grams = {p.case_id: sim.bigrams(p.text) for p in points}
    by_cell: dict[tuple[int, int], list[Point]] = defaultdict(list)
    for p in points:
        by_cell[(p.top, sim.cell_of(p.lng, p.lat))].append(p)
    for p in points:
        for cell in sim.cells_around(p.lng, p.lat, LINK_RADIUS_M):
            for q in by_cell.get((p.top, cell), ()):
                if q.case_id <= p.case_id or root(p.case_id) == root(q.case_id):
                    continue
                if linked(p, q, grams):
                    parent[root(q.case_id)] = root(p.case_id)
    groups: dict[int, list[Point]] = defaultdict(list)
    for p in points:
        groups[root(p.case_id)].append(p)
    found = [sorted(g, key=lambda p: (p.day, p.case_id)) for g in groups.values() if len(g) >= min_cases]
    found.sort(key=lambda g: (-len(g), g[0].case_id))
    return found


@dataclass
class Summary:
    members: list[Point]
    reporters: int
    support: int
    active_days: int
    open_cases: int
    departments: set[int] = field(default_factory=set)
    heat: float = 0.0
    lead_case_id: int = 0
    category_id: int = 0
    lng: float = 0.0
    lat: float = 0.0
    radius_m: float = 0.0
    suggests_whistle: bool = False
    whistle_reason: str = ""


def summarise(
    members: list[Point],
    *,
    today: dt.date,
    reporter_keys: dict[int, str],
    support: dict[int, int],
    open_ids: set[int],
    departments: set[int],
) -> Summary:
    """The figures of one cluster; the facts about its cases come from the caller."""
    lng = sum(p.lng for p in members) / len(members)
    lat = sum(p.lat for p in members) / len(members)
    last = max(p.day for p in members)
    s = Summary(
        members=members,
        reporters=len({reporter_keys[p.case_id] for p in members}),
        support=sum(support.get(p.case_id, 0) for p in members),
        active_days=len({p.day for p in members}),
        open_cases=sum(1 for p in members if p.case_id in open_ids),
        departments=departments,
        lng=lng,
        lat=lat,
        radius_m=max(sim.haversine_m(lng, lat, p.lng, p.lat) for p in members),
        category_id=Counter(p.category for p in members).most_common(1)[0][0],
    )
    s.heat = heat_index(
        reporters=s.reporters,
        support=s.support,
        active_days=s.active_days,
        days_since_last=(today - last).days,
    )
    open_members = [p for p in members if p.case_id in open_ids]
    s.lead_case_id = (open_members or members)[0].case_id
    reasons = []
    if len(departments) >= WHISTLE_DEPARTMENTS:
        reasons.append(f"涉及 {len(departments)} 个部门")
    if s.heat >= WHISTLE_HEAT:
        reasons.append(f"热度指数 {s.heat:g} 达到 {WHISTLE_HEAT:g}")
    s.suggests_whistle = bool(reasons) and s.open_cases > 0
    s.whistle_reason = "，".join(reasons) + ("，建议街道吹哨、部门报到" if s.suggests_whistle else "")
    return s
