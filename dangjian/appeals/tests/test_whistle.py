"""街道吹哨、部门报到: a street convenes two departments; each reports in and finishes its task."""

import pytest
from django.core.exceptions import ValidationError

from dangjian.appeals import actions, workflow
from dangjian.appeals.actions import Summons
from dangjian.appeals.choices import Status, TaskStatus, Tier


def test_a_street_whistles_and_two_departments_report_in(world, report, departments):
    so = world.street_officer
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="网格无法解决，需多部门", acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="社区上报街道", acting_user=so)
    assert case.tier == Tier.STREET
    (cg, cg_user), (hw, hw_user) = departments["城市管理局"], departments["环境卫生管理站"]
    whistle = actions.whistle_case(
        case,
        summons=[Summons(cg, "拆除违章搭建"), Summons(hw, "清运建筑垃圾")],
        reason="占道违建",
        acting_user=so,
    )
    case.refresh_from_db()
    assert case.status == Status.WHISTLED
    t_cg, t_hw = whistle.tasks.order_by("department__name")
    with pytest.raises(workflow.TransitionError):
        actions.report_in(t_cg, acting_user=hw_user)  # another department cannot check in for it
    actions.report_in(t_cg, acting_user=cg_user)
    actions.report_in(t_hw, acting_user=hw_user)
    actions.complete_task(t_cg, result="已拆除", acting_user=cg_user)
    with pytest.raises(ValidationError, match="尚未完成"):
        actions.close_whistle(case, result="完成", acting_user=so)
    actions.complete_task(t_hw, result="已清运", acting_user=hw_user)
    actions.record_minutes(whistle, minutes="城管、环卫到场会商，分工明确", acting_user=so)
    actions.rate_department(t_cg, score=5, acting_user=so)
    case = actions.close_whistle(case, result="违建拆除、垃圾清运完毕", acting_user=so)
    assert case.status == Status.HANDLED
    t_cg.refresh_from_db()
    assert t_cg.status == TaskStatus.DONE and t_cg.street_score == 5 and t_cg.report_due < t_cg.due


def test_only_the_street_of_the_case_may_whistle(world, report, departments):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    unit, _ = departments["城市管理局"]
    for user in (world.outsider, world.grid_worker):
        with pytest.raises(workflow.TransitionError):
            actions.whistle_case(case, summons=[Summons(unit, "x")], reason="y", acting_user=user)


def test_merging_duplicates_gives_every_reporter_the_outcome(world, report):
    main = report()
    dup = report(title="门口路灯坏了", reporter=world.member_person, acting_user=world.member)
    actions.merge_cases(dup, into=main, acting_user=world.grid_worker)
    dup.refresh_from_db()
    assert dup.status == Status.DUPLICATE and dup.merged_into_id == main.pk
    assert main.followers.filter(user=world.member).exists()
