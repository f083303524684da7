"""The department ranking (街道吹哨、部门报到): tasks convened, reported in on time, done on
time, the street's average score, and the cases currently assigned to each department."""

import io
from datetime import timedelta

import openpyxl
from django.utils import timezone

from dangjian.appeals import actions
from dangjian.appeals.actions import Summons


def _whistled(world, report, title):
    case = actions.accept_case(report(title=title), acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="网格无法解决", acting_user=world.grid_worker)
    return actions.escalate_case(case, reason="社区上报街道", acting_user=world.street_officer)


def _build(world, report, departments, monkeypatch):
    so = world.street_officer
    (cg, cg_user), (hw, hw_user) = departments["城市管理局"], departments["环境卫生管理站"]
    w1 = actions.whistle_case(
        _whistled(world, report, "占道违建"),
        summons=[Summons(cg, "拆除违章搭建"), Summons(hw, "清运建筑垃圾")],
        reason="占道违建",
        acting_user=so,
    )
    t_cg, t_hw = w1.tasks.order_by("department__name")
    assert t_cg.department == cg
    actions.report_in(t_cg, acting_user=cg_user)
    actions.complete_task(t_cg, result="已拆除", acting_user=cg_user)
    actions.rate_department(t_cg, score=5, acting_user=so)
    with monkeypatch.context() as m:  # 环卫 reports in and finishes after its deadlines
        late = t_hw.due + timedelta(hours=1)
        m.setattr(timezone, "now", lambda: late)
        actions.report_in(t_hw, acting_user=hw_user)
        actions.complete_task(t_hw, result="已清运", acting_user=hw_user)
    w2 = actions.whistle_case(
        _whistled(world, report, "夜间施工噪音"),
        summons=[Summons(cg, "查处夜间施工")],
        reason="噪音扰民",
        acting_user=so,
    )
    t2 = w2.tasks.get()
    actions.report_in(t2, acting_user=cg_user)
    actions.rate_department(t2, score=3, acting_user=so)
    assigned = actions.accept_case(report(title="井盖缺失"), acting_user=world.grid_worker)
    actions.dispatch_case(assigned, to_unit=cg, acting_user=world.grid_worker)
    return cg, hw


def test_it_ranks_departments_from_their_whistle_tasks(world, login, report, departments, monkeypatch):
    cg, hw = _build(world, report, departments, monkeypatch)
    r = login(world.admin).get("/appeals/figures/departments/")
    assert r.status_code == 200
    rows = r.context["rows"]
    assert [row.unit for row in rows] == [cg, hw]  # by 报到及时率, best first
    first, second = rows
    assert (first.tasks, first.reported_on_time, first.done_on_time, first.avg_score) == (2, 2, 1, 4.0)
    assert (first.report_pct, first.done_pct, first.cases_open, first.cases_done) == (100.0, 50.0, 1, 0)
    assert (second.tasks, second.reported_on_time, second.done_on_time, second.avg_score) == (1, 0, 0, None)
    html = r.content.decode()
    assert "北流市城市管理局" in html and "未评分" in html and "指标口径" in html
    r = login(world.admin).get("/appeals/figures/departments/?sort=tasks")
    assert [row.unit for row in r.context["rows"]] == [hw, cg]


def test_it_exports_the_department_ranking(world, login, report, departments, monkeypatch):
    _build(world, report, departments, monkeypatch)
    r = login(world.admin).get("/appeals/figures/departments/?export=xlsx")
    assert r.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("部门", "吹哨召集", "按时报到", "报到及时率(%)")
    assert rows[1:] == [
        ("北流市城市管理局", 2, 2, 100.0, 1, 50.0, 4.0, 1, 0, 1),
        ("北流市环境卫生管理站", 1, 0, 0.0, 0, 0.0, None, 0, 0, 0),
    ]


def test_it_shows_only_departments_in_scope(world, login, report, departments, monkeypatch):
    _build(world, report, departments, monkeypatch)
    r = login(world.street_officer).get("/appeals/figures/departments/")
    assert r.status_code == 200 and r.context["rows"] == []  # county departments lie outside street A
    assert "管辖范围内暂无职能部门" in r.content.decode()
    _, cg_user = departments["城市管理局"]
    assert len(login(cg_user).get("/appeals/figures/departments/").context["rows"]) == 2
    assert login(world.resident).get("/appeals/figures/departments/").status_code == 404


def test_a_period_without_whistles_has_no_rates(world, login, report, departments, monkeypatch):
    _build(world, report, departments, monkeypatch)
    r = login(world.admin).get("/appeals/figures/departments/?range=custom&start=2020-01-01&end=2020-12-31")
    assert all(row.tasks == 0 and row.report_rate is None for row in r.context["rows"])
