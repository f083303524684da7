"""intel.matching: reasons, capacities, priority when short, and the sparse batch solver
equal to the exact dense optimum on small random instances."""

from __future__ import annotations

import random

import pytest

from dangjian.intel import matching as M


def random_instance(seed: int) -> tuple[list[M.NeedItem], list[M.CandidateItem]]:
    r = random.Random(seed)
    needs = [
        M.NeedItem(
            id=i,
            community=r.choice([1, 2]),
            grid=r.choice([10, 11, 20]),
            x=r.uniform(0, 3),
            y=r.uniform(0, 3),
            skills=frozenset(r.sample("abcd", r.randint(0, 2))),
            priority=r.uniform(0, 40),
        )
        for i in range(r.randint(1, 14))
    ]
    cands = [
        M.CandidateItem(
            id=f"c{j}",
            community=r.choice([1, 2, 3]),
            grid=r.choice([10, 11, 20, None]),
            x=r.choice([None, r.uniform(0, 3)]),
            y=r.uniform(0, 3),
            skills=frozenset(r.sample("abcd", r.randint(0, 2))),
            available=r.random() > 0.1,
            load=r.randint(0, 2),
            cap=r.randint(1, 3),
            rating=r.choice([None, r.uniform(1, 5)]),
            ratings=r.randint(1, 9),
            registered=r.random() > 0.3,
        )
        for j in range(r.randint(0, 9))
    ]
    return needs, cands


@pytest.mark.parametrize("seed", range(60))
def test_batch_equals_the_exact_dense_optimum(seed: int) -> None:
    needs, cands = random_instance(seed)
    result = M.batch_assign(needs, cands, k=None)
    demand, pool = M.to_arrays(needs, cands)
    _, exact = M.solve_dense(demand, pool)
    assert result.total_cost == pytest.approx(exact, abs=1e-6)
    # Capacities hold and every pair is feasible (same community, available).
    by_id = {c.id: c for c in cands}
    used: dict[object, int] = {}
    for need_id, cand_id in result.pairs.items():
        used[cand_id] = used.get(cand_id, 0) + 1
        need = next(n for n in needs if n.id == need_id)
        assert by_id[cand_id].community == need.community and by_id[cand_id].available
    for cand_id, n in used.items():
        assert n <= by_id[cand_id].cap - by_id[cand_id].load
    assert set(result.pairs) | set(result.unassigned) == {n.id for n in needs}


@pytest.mark.parametrize("seed", range(10))
def test_pruned_batch_is_never_better_than_the_optimum(seed: int) -> None:
    needs, cands = random_instance(100 + seed)
    pruned = M.batch_assign(needs, cands, k=2)
    demand, pool = M.to_arrays(needs, cands)
    _, exact = M.solve_dense(demand, pool)
    assert pruned.total_cost >= exact - 1e-6


def test_when_short_the_higher_priority_need_is_served() -> None:
    needs = [M.NeedItem(1, 1, priority=0), M.NeedItem(2, 1, priority=30)]  # 2: an elderly resident
    cands = [M.CandidateItem("m", community=1, x=0, y=0, cap=1)]
    result = M.batch_assign(needs, cands)
    assert result.pairs == {2: "m"} and result.unassigned == [1]


def test_load_spreads_work_over_people() -> None:
    needs = [M.NeedItem(i, 1, x=0, y=0) for i in range(3)]
    cands = [
        M.CandidateItem("near", community=1, x=0, y=0, cap=3),
        M.CandidateItem("far", community=1, x=0.5, y=0, cap=3),
    ]
    result = M.batch_assign(needs, cands)
    # third slot of "near" costs 0.8×2 = 1.6 > 0.5 km to "far"
    assert sorted(str(v) for v in result.pairs.values()) == ["far", "near", "near"]


def test_recommend_gives_reasons_and_skips_the_infeasible() -> None:
    need = M.NeedItem(1, community=1, grid=10, x=0, y=0, skills=frozenset({"教育辅导"}))
    cands = [
        M.CandidateItem(
            "a",
            "陈建华",
            community=1,
            grid=10,
            x=0.3,
            y=0,
            skills=frozenset({"教育辅导"}),
            load=1,
            rating=4.8,
            ratings=5,
        ),
        M.CandidateItem("b", "王芳", community=1, grid=11, x=2.0, y=0, registered=False),
        M.CandidateItem("c", "满负荷", community=1, grid=10, x=0, y=0, load=3, cap=3),
        M.CandidateItem("d", "外社区", community=2, grid=10, x=0, y=0),
        M.CandidateItem("e", "流动党员", community=1, x=0, y=0, available=False),
    ]
    recs = M.recommend(need, cands)
    assert [r.candidate.id for r in recs] == ["a", "b"]
    top = recs[0].reasons
    assert "同一网格" in top and "具备所需特长：教育辅导" in top and "在办 1/3 件" in top
    assert "距离约 0.3 公里" in top and "历史评价 4.8 星（5 次）" in top and "已双报到" in top
    assert "无所需特长" in recs[1].reasons and "居住在本社区，未报到" in recs[1].reasons


def test_empty_inputs() -> None:
    assert M.batch_assign([], []).pairs == {}
    result = M.batch_assign([M.NeedItem(1, 1)], [])
    assert result.unassigned == [1]
    assert M.recommend(M.NeedItem(1, 1), []) == []
