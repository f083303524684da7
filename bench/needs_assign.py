"""Campaign batch assignment of needs (集中认领): 10,000 needs over 225,000 members.

A city of about 20 km × 20 km with 300 communities (Beiliu has ~300 communities and
villages); members live around their community's centre (σ ≈ 0.6 km), 80 % registered
(双报到), each with 0–2 of 10 skills, 0–2 open claims against a cap of 3, a past rating
for half of them; 10 % are unavailable (流动党员). Needs fall in the same communities, each
asking for 0–1 skill, with priority scores 0–45. The solver is ``intel.matching`` exactly
as the campaign page calls it: prune to the k = 10 cheapest feasible candidates (pair cost + load) in the
need's community, expand candidates into their free slots with the rising load
cost, add one "unassigned" column per need and solve the sparse min-cost assignment
(``min_weight_full_bipartite_matching``). Goal: < 10 s.

Quality: on a smaller instance (500 needs × 5,000 members, 10 communities) the pruned
solution's total cost is compared with the exact dense optimum (``linear_sum_assignment``
over every feasible pair); the unpruned sparse solve is checked equal to it too.
Nothing is asserted; figures are printed.

Run: ``python bench/needs_assign.py [--needs 10000 --members 225000]``
(``bench/run.py --only needs`` runs it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dangjian.intel import matching as M  # noqa: E402


def instance(needs: int, members: int, communities: int, seed: int) -> tuple[M.Demand, M.Pool]:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 20, size=(communities, 2))
    grids_per = 8

    def place(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        comm = rng.integers(0, communities, n)
        xy = centres[comm] + rng.normal(0, 0.6, size=(n, 2))
        grid = comm * grids_per + rng.integers(0, grids_per, n)
        return comm, xy, grid

    n_comm, n_xy, n_grid = place(needs)
    skills_needed = np.where(rng.random(needs) < 0.6, 1 << rng.integers(0, 10, needs), 0)
    demand = M.Demand(
        x=n_xy[:, 0],
        y=n_xy[:, 1],
        community=n_comm.astype(np.int64),
        grid=n_grid.astype(np.int64),
        skills=skills_needed.astype(np.int64),
        priority=rng.uniform(0, 45, needs),
    )
    c_comm, c_xy, c_grid = place(members)
    sk = (1 << rng.integers(0, 10, members)) | np.where(
        rng.random(members) < 0.4, 1 << rng.integers(0, 10, members), 0
    )
    sk = np.where(rng.random(members) < 0.3, 0, sk)
    pool = M.Pool(
        x=c_xy[:, 0],
        y=c_xy[:, 1],
        community=c_comm.astype(np.int64),
        grid=c_grid.astype(np.int64),
        skills=sk.astype(np.int64),
        available=rng.random(members) > 0.1,
        load=rng.integers(0, 3, members).astype(np.int64),
        cap=np.full(members, 3, dtype=np.int64),
        rating=np.where(rng.random(members) < 0.5, rng.uniform(2.5, 5, members), np.nan),
        registered=rng.random(members) < 0.8,
    )
    return demand, pool


def timed_solve(demand: M.Demand, pool: M.Pool, k: int | None) -> dict:
    t0 = time.perf_counter()
    ni, ci = M.prune(demand, pool, k)
    t1 = time.perf_counter()
    chosen, total, edges = M.solve_sparse(demand, pool, ni, ci)
    t2 = time.perf_counter()
    return {
        "chosen": chosen,
        "total_cost": round(total, 3),
        "prune_s": round(t1 - t0, 3),
        "solve_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "edges": int(edges),
        "assigned": int((chosen >= 0).sum()),
    }


def run(
    needs: int = 10_000, members: int = 225_000, small: tuple[int, int] = (500, 5_000), seed: int = 1
) -> dict:
    demand, pool = instance(needs, members, 300, seed)
    big = timed_solve(demand, pool, k=10)
    big.pop("chosen")
    sd, sp = instance(small[0], small[1], 10, seed + 1)
    pruned = timed_solve(sd, sp, k=10)
    full = timed_solve(sd, sp, k=None)
    t0 = time.perf_counter()
    _, exact = M.solve_dense(sd, sp)
    dense_s = time.perf_counter() - t0
    gap = (pruned["total_cost"] - exact) / abs(exact) if exact else 0.0
    return {
        "needs": needs,
        "members": members,
        "big": big,
        "small": {
            "needs": small[0],
            "members": small[1],
            "pruned_k10_cost": pruned["total_cost"],
            "pruned_k10_s": pruned["total_s"],
            "sparse_unpruned_cost": full["total_cost"],
            "sparse_unpruned_s": full["total_s"],
            "exact_dense_cost": round(exact, 3),
            "exact_dense_s": round(dense_s, 3),
            "gap_pruned_vs_exact": f"{gap:.4%}",
            "unpruned_equals_exact": abs(full["total_cost"] - exact) < 1e-3,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=225_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = run(args.needs, args.members, seed=args.seed)
    b, s = result["big"], result["small"]
    print(f"needs_assign: {args.needs:,} needs × {args.members:,} members, k=10")
    print(
        f"  prune {b['prune_s']} s + solve {b['solve_s']} s = {b['total_s']} s (goal < 10 s); {b['edges']:,} slot edges"
    )
    print(f"  assigned {b['assigned']:,} / {args.needs:,}; total cost {b['total_cost']:,}")
    print(
        f"  {s['needs']} × {s['members']:,}: pruned k=10 cost {s['pruned_k10_cost']} vs exact {s['exact_dense_cost']}"
    )
    print(f"    gap {s['gap_pruned_vs_exact']}; unpruned sparse = exact: {s['unpruned_equals_exact']}")
    print(
        f"    times: pruned {s['pruned_k10_s']} s, unpruned {s['sparse_unpruned_s']} s, dense {s['exact_dense_s']} s"
    )
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
