"""Who should take a need: recommendations with reasons, and a min-cost batch assignment.

Pure: no database, no Django. The selector in ``needs.selectors`` turns needs and the
members/units/teams registered in a community (双报到) into the plain records below.

Cost of giving need *i* to candidate *c* (lower is better; every part is shown as a reason)::

    cost = 1.0 × 距离(公里)
         + 3.0  if the need asks for skills and c has none of them
         − 1.0  if c lives/stands in the same grid
         + 0.5 × (3 − average rating) when c has been rated
         + 1.0  if c lives in the community but has not registered (未报到)
         + 0.8 × (open claims of c + slot)          ← load: the k-th extra need costs more

Only candidates of the need's own community who are available and below their load cap
are feasible. Leaving a need unassigned costs ``unassigned + priority`` so, when capacity
is short, the higher-priority (older, elderly, disabled) needs are served first.

The batch solver expands each candidate into one column per free slot (its load cap minus
its open claims) with the rising load cost, adds one "unassigned" column per need, keeps
for each need only its ``k`` cheapest candidates in the same community, and solves the
sparse min-cost assignment with ``scipy.sparse.csgraph.min_weight_full_bipartite_matching``
(LAPJVsp). :func:`solve_dense` is the exact dense optimum (``linear_sum_assignment``) used to
check it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LNG_EQUATOR = 111.32


@dataclass(frozen=True)
class Weights:
    dist: float = 1.0  # per km
    skill_miss: float = 3.0
    same_grid: float = -1.0
    rating: float = 0.5  # per star below 3 (negative below: a bonus above 3)
    unregistered: float = 1.0
    load: float = 0.8  # per open claim, and per extra slot in a batch
    unassigned: float = 50.0
    priority: float = 1.0  # per point of the need's priority score, when left unassigned


DEFAULT = Weights()


@dataclass(frozen=True)
class NeedItem:
    id: Hashable
    community: int | None
    grid: int | None = None
    x: float = 0.0  # km (see to_km)
    y: float = 0.0
    skills: frozenset[str] = frozenset()
    priority: float = 0.0


@dataclass(frozen=True)
class CandidateItem:
    id: Hashable
    label: str = ""
    kind: str = "member"
    community: int | None = None
    grid: int | None = None
    x: float | None = None
    y: float | None = None
    skills: frozenset[str] = frozenset()
    available: bool = True
    load: int = 0  # open claims now
    cap: int = 3  # load cap
    rating: float | None = None  # average stars 1–5
    ratings: int = 0
    registered: bool = True


@dataclass(frozen=True)
class Recommendation:
    candidate: CandidateItem
    cost: float
    reasons: list[str]


@dataclass
class Assignment:
    pairs: dict[Hashable, Hashable] = field(default_factory=dict)  # need id → candidate id
    unassigned: list[Hashable] = field(default_factory=list)
    total_cost: float = 0.0
    edges: int = 0


def to_km(lng: float, lat: float, lat0: float = 22.7) -> tuple[float, float]:
    """Plane coordinates in km around latitude ``lat0`` (good to a few metres within a city)."""
    return lng * KM_PER_DEG_LNG_EQUATOR * math.cos(math.radians(lat0)), lat * KM_PER_DEG_LAT


# --- arrays ---------------------------------------------------------------------------------


@dataclass
class Demand:
    """Needs as columns of arrays (one entry per need)."""

    x: np.ndarray
    y: np.ndarray
    community: np.ndarray  # int, -1 = none
    grid: np.ndarray  # int, -1 = none
    skills: np.ndarray  # int64 bit mask
    priority: np.ndarray

    def __len__(self) -> int:
        return len(self.x)


@dataclass
class Pool:
    """Candidates as columns of arrays (one entry per candidate)."""

    x: np.ndarray  # nan = position unknown
    y: np.ndarray
    community: np.ndarray
    grid: np.ndarray
    skills: np.ndarray
    available: np.ndarray  # bool
    load: np.ndarray  # int
    cap: np.ndarray  # int
    rating: np.ndarray  # nan = never rated
    registered: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.x)

    def free(self) -> np.ndarray:
        """Free slots per candidate (0 when unavailable or at the load cap)."""
        return np.where(self.available, np.maximum(self.cap - self.load, 0), 0).astype(np.int64)


def _skill_bits(skills: frozenset[str], vocab: dict[str, int]) -> int:
    bits = 0
    for s in skills:
        bits |= 1 << vocab.setdefault(s, len(vocab))
    return bits


def _id(value: int | None) -> int:
    return -1 if value is None else int(value)


def to_arrays(needs: Sequence[NeedItem], candidates: Sequence[CandidateItem]) -> tuple[Demand, Pool]:
    vocab: dict[str, int] = {}
    demand = Demand(
        x=np.array([n.x for n in needs], dtype=float),
        y=np.array([n.y for n in needs], dtype=float),
        community=np.array([_id(n.community) for n in needs], dtype=np.int64),
        grid=np.array([_id(n.grid) for n in needs], dtype=np.int64),
        skills=np.array([_skill_bits(n.skills, vocab) for n in needs], dtype=np.int64),
        priority=np.array([n.priority for n in needs], dtype=float),
    )
    pool = Pool(
        x=np.array([np.nan if c.x is None else c.x for c in candidates], dtype=float),
        y=np.array([np.nan if c.y is None else c.y for c in candidates], dtype=float),
        community=np.array([_id(c.community) for c in candidates], dtype=np.int64),
        grid=np.array([_id(c.grid) for c in candidates], dtype=np.int64),
        skills=np.array([_skill_bits(c.skills, vocab) for c in candidates], dtype=np.int64),
        available=np.array([c.available for c in candidates], dtype=bool),
        load=np.array([c.load for c in candidates], dtype=np.int64),
        cap=np.array([c.cap for c in candidates], dtype=np.int64),
        rating=np.array([np.nan if c.rating is None else c.rating for c in candidates], dtype=float),
        registered=np.array([c.registered for c in candidates], dtype=bool),
    )
    if len(vocab) > 62:
        raise ValueError("at most 62 distinct skills")
    return demand, pool


def distances(demand: Demand, pool: Pool, ni: np.ndarray, ci: np.ndarray) -> np.ndarray:
    d = np.hypot(demand.x[ni] - pool.x[ci], demand.y[ni] - pool.y[ci])
    return np.where(np.isnan(d), 0.0, d)  # unknown position: no distance term


def edge_costs(
    demand: Demand, pool: Pool, ni: np.ndarray, ci: np.ndarray, w: Weights = DEFAULT
) -> np.ndarray:
    """The cost of each pair (need ``ni[k]``, candidate ``ci[k]``), without the load term."""
    cost = w.dist * distances(demand, pool, ni, ci)
    need_sk = demand.skills[ni]
    cost += w.skill_miss * ((need_sk != 0) & ((need_sk & pool.skills[ci]) == 0))
    same_grid = (demand.grid[ni] >= 0) & (demand.grid[ni] == pool.grid[ci])
    cost += w.same_grid * same_grid
    rating = pool.rating[ci]
    cost += np.where(np.isnan(rating), 0.0, w.rating * (3.0 - rating))
    cost += w.unregistered * ~pool.registered[ci]
    return cost


def feasible(demand: Demand, pool: Pool, ni: np.ndarray, ci: np.ndarray) -> np.ndarray:
    same = (demand.community[ni] >= 0) & (demand.community[ni] == pool.community[ci])
    return same & (pool.free()[ci] > 0)


def prune(
    demand: Demand, pool: Pool, k: int | None, w: Weights = DEFAULT, block: int = 2_000_000
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate edges: for each need, the ``k`` cheapest feasible candidates of its community
    (pair cost plus the load cost of their next slot); every feasible candidate when ``k`` is
    None. Costs are computed per community in blocks of at most ``block`` pairs."""
    free = pool.free()
    need_rows: list[np.ndarray] = []
    cand_cols: list[np.ndarray] = []
    order_n = np.argsort(demand.community, kind="stable")
    comm_n = demand.community[order_n]
    ok_c = np.flatnonzero((free > 0) & (pool.community >= 0))
    order_c = ok_c[np.argsort(pool.community[ok_c], kind="stable")]
    comm_c = pool.community[order_c]
    for comm in np.unique(comm_n[comm_n >= 0]):
        needs = order_n[np.searchsorted(comm_n, comm, "left") : np.searchsorted(comm_n, comm, "right")]
        cands = order_c[np.searchsorted(comm_c, comm, "left") : np.searchsorted(comm_c, comm, "right")]
        if len(cands) == 0:
            continue
        if k is None or len(cands) <= k:
            need_rows.append(np.repeat(needs, len(cands)))
            cand_cols.append(np.tile(cands, len(needs)))
            continue
        step = max(1, block // len(cands))
        for start in range(0, len(needs), step):
            chunk = needs[start : start + step]
            ni = np.repeat(chunk, len(cands))
            ci = np.tile(cands, len(chunk))
            cost = (edge_costs(demand, pool, ni, ci, w) + w.load * pool.load[ci]).reshape(
                len(chunk), len(cands)
            )
            best = np.argpartition(cost, k - 1, axis=1)[:, :k]
            need_rows.append(np.repeat(chunk, k))
            cand_cols.append(cands[best.reshape(-1)])
    if not need_rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(need_rows), np.concatenate(cand_cols)


def unassigned_costs(demand: Demand, w: Weights = DEFAULT) -> np.ndarray:
    return w.unassigned + w.priority * demand.priority


def solve_sparse(
    demand: Demand, pool: Pool, ni: np.ndarray, ci: np.ndarray, w: Weights = DEFAULT
) -> tuple[np.ndarray, float, int]:
    """Min-cost assignment over the given edges with capacities (free slots) and the rising
    load cost. Returns (candidate index per need or -1, total cost, number of slot edges)."""
    n = len(demand)
    free = pool.free()
    base = edge_costs(demand, pool, ni, ci, w)
    # Compress to the candidates that appear, then expand each into its free slots.
    used, ci_local = np.unique(ci, return_inverse=True)
    slots = free[used]
    first_slot = np.concatenate([[0], np.cumsum(slots)[:-1]]).astype(np.int64)
    total_slots = int(slots.sum())
    reps = slots[ci_local]
    rows = np.repeat(ni, reps)
    within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    cols = np.repeat(first_slot[ci_local], reps) + within
    costs = np.repeat(base, reps) + w.load * (np.repeat(pool.load[used][ci_local], reps) + within)
    dummy_cost = unassigned_costs(demand, w)
    rows = np.concatenate([rows, np.arange(n)])
    cols = np.concatenate([cols, total_slots + np.arange(n)])
    costs = np.concatenate([costs, dummy_cost])
    # LAPJVsp treats a stored 0 as a missing edge: shift every weight above zero. Each need
    # takes exactly one edge, so the shift adds n × offset to every solution alike.
    offset = 1.0 - min(0.0, float(costs.min())) if len(costs) else 1.0
    graph = csr_matrix((costs + offset, (rows, cols)), shape=(n, total_slots + n))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    match = np.empty(n, dtype=np.int64)
    match[row_ind] = col_ind
    owner = np.repeat(used, slots)  # slot column → candidate index
    chosen = np.full(n, -1, dtype=np.int64)
    real = match < total_slots
    chosen[real] = owner[match[real]]
    total = float(np.asarray(graph[np.arange(n), match]).ravel().sum() - n * offset)
    return chosen.astype(np.int64), total, len(costs)


def solve_dense(demand: Demand, pool: Pool, w: Weights = DEFAULT) -> tuple[np.ndarray, float]:
    """The exact optimum over every feasible pair, on a dense matrix (small instances only)."""
    n, m = len(demand), len(pool)
    free = pool.free()
    owner = np.repeat(np.arange(m), free)
    slot_rank = np.arange(len(owner)) - np.repeat(np.cumsum(free) - free, free)
    ni = np.repeat(np.arange(n), len(owner))
    ci = np.tile(owner, n)
    big = 1e9
    cost = edge_costs(demand, pool, ni, ci, w) + w.load * (pool.load[ci] + np.tile(slot_rank, n))
    cost = np.where(feasible(demand, pool, ni, ci), cost, big).reshape(n, len(owner))
    dummy = np.full((n, n), big)
    np.fill_diagonal(dummy, unassigned_costs(demand, w))
    matrix = np.hstack([cost, dummy])
    r, c = linear_sum_assignment(matrix)
    chosen = np.full(n, -1, dtype=np.int64)
    real = c < len(owner)
    chosen[r[real]] = owner[c[real]]
    return chosen, float(matrix[r, c].sum())


# --- records in, records out ----------------------------------------------------------------


def batch_assign(
    needs: Sequence[NeedItem],
    candidates: Sequence[CandidateItem],
    *,
    k: int | None = 10,
    weights: Weights = DEFAULT,
) -> Assignment:
    """Assign a campaign's needs at minimum total cost, each candidate at most up to its cap."""
    if not needs:
        return Assignment()
    demand, pool = to_arrays(needs, candidates)
    ni, ci = prune(demand, pool, k, weights)
    chosen, total, edges = solve_sparse(demand, pool, ni, ci, weights)
    out = Assignment(total_cost=total, edges=edges)
    for i, c in enumerate(chosen.tolist()):
        if c < 0:
            out.unassigned.append(needs[i].id)
        else:
            out.pairs[needs[i].id] = candidates[c].id
    return out


def reasons_for(need: NeedItem, cand: CandidateItem, distance: float | None) -> list[str]:
    out: list[str] = []
    if need.grid is not None and need.grid == cand.grid:
        out.append("同一网格")
    elif need.community is not None and need.community == cand.community:
        out.append("同一社区")
    if distance is not None:
        out.append(f"距离约 {distance:.1f} 公里" if distance >= 0.1 else "就在附近（100 米内）")
    if need.skills:
        common = need.skills & cand.skills
        out.append(("具备所需特长：" + "、".join(sorted(common))) if common else "无所需特长")
    out.append(f"在办 {cand.load}/{cand.cap} 件")
    if cand.rating is not None:
        out.append(f"历史评价 {cand.rating:.1f} 星（{cand.ratings} 次）")
    else:
        out.append("尚无评价")
    out.append("已双报到" if cand.registered else "居住在本社区，未报到")
    return out


def recommend(
    need: NeedItem, candidates: Sequence[CandidateItem], *, limit: int = 5, weights: Weights = DEFAULT
) -> list[Recommendation]:
    """The best candidates for one need, cheapest first, with the reasons for each."""
    if not candidates:
        return []
    demand, pool = to_arrays([need], candidates)
    ci = np.arange(len(candidates))
    ni = np.zeros(len(candidates), dtype=np.int64)
    ok = feasible(demand, pool, ni, ci)
    cost = edge_costs(demand, pool, ni, ci, weights) + weights.load * pool.load
    dist = np.hypot(demand.x[0] - pool.x, demand.y[0] - pool.y)
    out = []
    for c in np.flatnonzero(ok)[np.argsort(cost[ok], kind="stable")][:limit].tolist():
        d = None if np.isnan(dist[c]) else float(dist[c])
        out.append(
            Recommendation(candidates[c], round(float(cost[c]), 2), reasons_for(need, candidates[c], d))
        )
    return out
