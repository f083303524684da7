"""The figures page: the five rates with the counts behind them, on a hand-made set built
through the actions, the ranking of the children, drill-down and scope."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dangjian.appeals import actions
from dangjian.appeals.models import Case

A2 = {"lng": 110.365, "lat": 22.705}  # inside grid A2 (grid A1 is the report fixture's default)
B1 = {"lng": 110.355, "lat": 22.725}  # inside grid B1 (street B)


def _to_feedback(case: Case, worker: Any, monkeypatch: Any = None, late: bool = False) -> Case:
    case = actions.accept_case(case, acting_user=worker)
    case = actions.dispatch_case(case, to_node=case.grid, to_user=worker, acting_user=worker)
    if late:  # acknowledge one hour after the response deadline
        assert case.ack_due is not None
        late_now = case.ack_due + timedelta(hours=1)
        with monkeypatch.context() as m:
            m.setattr(timezone, "now", lambda: late_now)
            case = actions.acknowledge_case(case, acting_user=worker)
    else:
        case = actions.acknowledge_case(case, acting_user=worker)
    return actions.feedback_case(case, result="已处理", acting_user=worker)


def handmade(world: Any, report: Any, monkeypatch: Any) -> dict[str, Case]:
    """Six cases in street A (five in grid A1, one in A2) and one in street B.

    Street A: received 6, accepted 5, dispatched 4, acknowledged on time 3, fed back 4,
    reworked 1, closed 3 (all on time), rated 3 (满意 1, 基本满意 1, 不满意 1).
    """
    gw, so = world.grid_worker, world.street_officer
    c1 = _to_feedback(report(title="一"), gw)
    c1 = actions.verify_case(c1, passed=False, note="照片不清楚，返工", acting_user=so)
    c1 = actions.feedback_case(c1, result="补充照片", acting_user=gw)
    c1 = actions.verify_case(c1, passed=True, acting_user=so)
    c1 = actions.rate_case(c1, rating="satisfied", acting_user=world.resident)
    c2 = _to_feedback(report(title="二"), gw)
    c2 = actions.verify_case(c2, passed=True, acting_user=so)
    c2 = actions.rate_case(c2, rating="unsatisfied", acting_user=world.resident)  # reopens
    c3 = _to_feedback(report(title="三"), gw, monkeypatch, late=True)
    c4 = actions.accept_case(report(title="四"), acting_user=gw)
    c5 = actions.reject_case(report(title="五"), reason="内容不实", acting_user=gw)
    c6 = _to_feedback(report(title="六", **A2), so)
    c6 = actions.verify_case(c6, passed=True, acting_user=so)
    c6 = actions.rate_case(c6, rating="basic", acting_user=world.resident)
    c7 = actions.accept_case(report(title="七", **B1), acting_user=world.outsider)
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6, "c7": c7}


@pytest.fixture
def cases(world, report, monkeypatch):
    return handmade(world, report, monkeypatch)


def _cells(response):
    return {c.key: c for c in response.context["cells"]}


def test_it_shows_the_five_rates_with_the_counts_behind_them(world, login, cases):
    r = login(world.street_officer).get("/appeals/figures/")
    assert r.status_code == 200 and r.context["node"] == world.street_a
    cells = _cells(r)
    assert (cells["response"].numerator, cells["response"].denominator) == (3, 4)
    assert cells["response"].value == 0.75 and cells["response"].pct == 75.0
    assert cells["resolution"].value == round(3 / 5, 4)
    assert cells["satisfaction"].value == round(2 / 3, 4) and cells["satisfaction"].pct == 66.7
    assert cells["on_time"].value == 1.0
    assert cells["rework"].value == 0.25
    html = r.content.decode()
    assert cells["response"].text == "响应率 75.0%（签收及时 3 / 派遣 4）"
    for text in (
        "（签收及时 3 / 派遣 4）",
        "（办结 3 / 立案 5）",
        "（满意与基本满意 2 / 已评价 3）",
        "66.7%",
    ):
        assert text in html
    assert "指标口径" in html and "acknowledged within the response deadline ÷ dispatched" in html


def test_it_ranks_the_children_and_drills_down_to_a_grid(world, login, cases):
    client = login(world.street_officer)
    r = client.get(f"/appeals/figures/?node={world.community_a.pk}&sort=-response")
    assert r.status_code == 200
    rows = r.context["rows"]
    assert [row.node for row in rows] == [world.grid_a2, world.grid_a1]  # 100% before 66.7%
    a1 = next(row for row in rows if row.node == world.grid_a1)
    assert a1.rates.response == round(2 / 3, 4) and a1.rates.rework == round(1 / 3, 4)
    assert f"?node={world.grid_a1.pk}&amp;range=last30" in r.content.decode()
    r = client.get(f"/appeals/figures/?node={world.community_a.pk}&sort=response")
    assert [row.node for row in r.context["rows"]] == [world.grid_a1, world.grid_a2]
    r = client.get(f"/appeals/figures/?node={world.grid_a1.pk}")
    assert r.status_code == 200 and r.context["rows"] == []
    assert [n.pk for n in r.context["crumbs"]] == [world.street_a.pk, world.community_a.pk, world.grid_a1.pk]
    assert _cells(r)["resolution"].value == 0.5
    assert "网格是最小统计单元" in r.content.decode()


def test_it_ranks_streets_for_the_county_and_starts_the_admin_at_the_city(world, login, cases):
    client = login(world.admin)
    r = client.get("/appeals/figures/")
    assert r.context["node"] == world.city and [row.node for row in r.context["rows"]] == [world.county]
    r = client.get(f"/appeals/figures/?node={world.county.pk}")
    by_node = {row.node: row for row in r.context["rows"]}
    assert set(by_node) == {world.street_a, world.street_b}
    assert by_node[world.street_b].rates.counts["received"] == 1
    assert by_node[world.street_b].rates.response is None  # nothing dispatched: no rate, shown as —
    assert _cells(r)["resolution"].value == round(3 / 6, 4)


@pytest.mark.parametrize("persona", ["outsider", "grid_worker"])
def test_it_answers_404_outside_the_scope(world, login, cases, persona):
    client = login(getattr(world, persona))
    assert client.get(f"/appeals/figures/?node={world.street_a.pk}").status_code == 404
    assert client.get(f"/appeals/figures/?node={world.street_a.pk}&export=xlsx").status_code == 404


def test_it_answers_404_for_residents_bad_nodes_and_compounds(world, login, client, cases):
    assert client.get("/appeals/figures/").status_code == 302  # to the login page
    assert login(world.resident).get("/appeals/figures/").status_code == 404
    staff = login(world.street_officer)
    assert staff.get("/appeals/figures/?node=abc").status_code == 404
    assert staff.get("/appeals/figures/?node=999999").status_code == 404
    assert staff.get(f"/appeals/figures/?node={world.compound_a1.pk}").status_code == 404
    assert staff.get(f"/appeals/figures/?node={world.street_b.pk}").status_code == 404
    r = staff.get(f"/appeals/figures/?node={world.grid_a1.pk}")
    assert r.status_code == 200
