"""Posting the action forms moves the case; bad input and forbidden actions change nothing."""

from django.urls import reverse

from dangjian.appeals import actions
from dangjian.appeals.choices import Status, TaskStatus, Tier
from dangjian.appeals.models import Case, Transition

HTMX = {"HTTP_HX_REQUEST": "true"}


def act(client, case, action, **data):
    return client.post(reverse("appeals:case_action", args=[case.pk, action]), data, **HTMX)


def status(case):
    return Case.objects.get(pk=case.pk).status


def test_it_runs_the_loop_through_the_page(world, report, departments, login):
    cg, cg_user = departments["城市管理局"]
    case = report()
    gw = login(world.grid_worker)
    r = act(gw, case, "accept", note="属实")
    assert (
        r.status_code == 200 and 'data-flash="ok"' in r.content.decode() and status(case) == Status.ACCEPTED
    )
    r = act(gw, case, "dispatch", target=f"unit:{cg.pk}", note="请城管处理")
    assert status(case) == Status.DISPATCHED and Case.objects.get(pk=case.pk).assignee_unit == cg
    dept = login(cg_user)
    assert status(case) == Status.DISPATCHED
    act(dept, case, "acknowledge")
    assert status(case) == Status.IN_PROGRESS
    r = act(dept, case, "progress", text="已到现场", public="1")
    assert case.notes.get().text == "已到现场" and "已到现场" in r.content.decode()
    act(dept, case, "feedback", result="路灯已更换")
    assert status(case) == Status.HANDLED
    act(login(world.street_officer), case, "verify_pass")
    assert status(case) == Status.CLOSED
    assert [t.event for t in Transition.objects.filter(case=case)] == [
        "submit",
        "accept",
        "dispatch",
        "acknowledge",
        "feedback",
        "verify_pass",
    ]


def test_it_dispatches_to_a_node_of_the_chain_and_a_person(world, report, login):
    case = actions.accept_case(report(), acting_user=world.street_officer)
    so = login(world.street_officer)
    r = act(so, case, "dispatch", target=f"node:{world.grid_b1.pk}")
    assert "派遣对象无效" in r.content.decode() and status(case) == Status.ACCEPTED
    act(so, case, "dispatch", target=f"node:{world.community_a.pk}")
    c = Case.objects.get(pk=case.pk)
    assert c.status == Status.DISPATCHED and c.tier == Tier.COMMUNITY and c.handling_node == world.community_a
    act(so, case, "escalate", reason="社区无力解决")
    act(so, case, "dispatch", target=f"user:{world.grid_worker.pk}")
    assert Case.objects.get(pk=case.pk).assignee_user == world.grid_worker


def test_it_answers_errors_in_chinese_and_changes_nothing(world, report, login):
    case = report()
    gw = login(world.grid_worker)
    r = act(gw, case, "reject", reason="")
    assert "请填写原因" in r.content.decode() and 'data-flash="error"' in r.content.decode()
    assert status(case) == Status.SUBMITTED
    r = act(gw, case, "feedback", result="x")  # not from 待受理
    assert "不能执行" in r.content.decode() and status(case) == Status.SUBMITTED
    r = act(gw, case, "close_duplicate", merge_into="BL-00000000-9999")
    assert "未找到编号为 BL-00000000-9999 的诉求" in r.content.decode() and status(case) == Status.SUBMITTED
    case = actions.accept_case(case, acting_user=world.grid_worker)
    r = act(gw, case, "whistle", departments=[], reason="x")
    assert "请至少选择一个报到部门" in r.content.decode() or "无权" in r.content.decode()
    assert status(case) == Status.ACCEPTED
    assert Transition.objects.filter(case=case).count() == 2
    # A plain (non-htmx) post that fails gets the case page back with the message (issue 11:
    # no redirect, so what was typed is not lost).
    r = gw.post(reverse("appeals:case_action", args=[case.pk, "reject"]), {"reason": ""})
    assert r.status_code == 400 and "请填写原因" in r.content.decode()


def test_it_answers_404_outside_the_scope_and_for_unknown_actions(world, report, login):
    case = report()
    assert act(login(world.outsider), case, "accept").status_code == 404
    assert act(login(world.grid_worker), case, "explode").status_code == 404
    assert (
        login(world.grid_worker).get(reverse("appeals:case_action", args=[case.pk, "accept"])).status_code
        == 405
    )
    assert status(case) == Status.SUBMITTED


def test_it_merges_a_duplicate_by_number(world, report, login):
    main, dup = report(), report(title="门口路灯坏了")
    act(login(world.grid_worker), dup, "close_duplicate", merge_into=main.number)
    d = Case.objects.get(pk=dup.pk)
    assert d.status == Status.DUPLICATE and d.merged_into == main


def test_it_whistles_with_two_departments_and_each_reports_in(world, report, departments, login):
    (cg, cg_user), (hw, hw_user) = departments["城市管理局"], departments["环境卫生管理站"]
    case = actions.accept_case(report(), acting_user=world.street_officer)
    r = act(
        login(world.street_officer),
        case,
        "whistle",
        departments=[cg.pk, hw.pk],
        reason="占道违建",
        **{f"duty_{cg.pk}": "拆除违建"},
    )
    assert "请填写北流市环境卫生管理站的任务" in r.content.decode() and status(case) == Status.ACCEPTED
    act(
        login(world.street_officer),
        case,
        "whistle",
        departments=[cg.pk, hw.pk],
        reason="占道违建",
        **{f"duty_{cg.pk}": "拆除违建", f"duty_{hw.pk}": "清运垃圾"},
    )
    assert status(case) == Status.WHISTLED
    whistle = case.whistles.get()
    t_cg, t_hw = whistle.tasks.get(department=cg), whistle.tasks.get(department=hw)
    # One department cannot report in for the other.
    r = act(login(hw_user), case, "report_in", task=t_cg.pk)
    assert "只有被召集部门的人员可以报到" in r.content.decode()
    for user, task in ((cg_user, t_cg), (hw_user, t_hw)):
        act(login(user), case, "report_in", task=task.pk)
        task.refresh_from_db()
        assert task.status == TaskStatus.REPORTED and task.owner == user
    r = act(login(world.street_officer), case, "feedback", result="完成")
    assert "尚未完成" in r.content.decode() and status(case) == Status.WHISTLED
    act(login(cg_user), case, "complete_task", task=t_cg.pk, result="已拆除")
    act(login(hw_user), case, "complete_task", task=t_hw.pk, result="已清运")
    act(login(world.street_officer), case, "minutes", minutes="城管、环卫到场会商")
    act(login(world.street_officer), case, "rate_department", task=t_cg.pk, score="5", comment="响应迅速")
    r = act(login(world.street_officer), case, "rate_department", task=t_hw.pk, score="9")
    assert "评分为 1–5 分" in r.content.decode()
    act(login(world.street_officer), case, "feedback", result="违建拆除、垃圾清运完毕")
    whistle.refresh_from_db()
    t_cg.refresh_from_db()
    assert status(case) == Status.HANDLED and whistle.minutes and whistle.closed_at and t_cg.street_score == 5
