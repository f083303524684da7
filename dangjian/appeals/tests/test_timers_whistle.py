"""A department that misses its report-in: the street chief first, one working day later the county."""

import datetime as dt
import zoneinfo

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions, timers
from dangjian.appeals.actions import Summons
from dangjian.appeals.models import WhistleTask
from dangjian.core.models import AuditEvent
from dangjian.notifications.models import Notification

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
REPORT_DUE = dt.datetime(2026, 3, 4, 10, 0, tzinfo=SH)  # a Wednesday


def _user(phone, name, role, node):
    user = account_actions.create_user(phone=phone, password="Pass#2026x", name=name, acting_user=None)
    account_actions.assign_role(user=user, role=role, node=node, acting_user=None)
    return user


def test_it_escalates_to_the_street_chief_then_to_the_county(world, report, departments):
    chief = _user("13100000001", "陵城街长", "street_chief", world.street_a)
    leader = _user("13100000002", "北流市领导", "leader", world.county)
    other_chief = _user("13100000003", "城南街长", "street_chief", world.street_b)
    so = world.street_officer
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="网格无法解决", acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="社区上报街道", acting_user=so)
    (cg, _), (hw, hw_user) = departments["城市管理局"], departments["环境卫生管理站"]
    whistle = actions.whistle_case(
        case, summons=[Summons(cg, "拆除违建"), Summons(hw, "清运垃圾")], reason="占道违建", acting_user=so
    )
    t_hw = whistle.tasks.get(department=hw)
    actions.report_in(t_hw, acting_user=hw_user)  # 环卫 reports in; 城管 does not
    WhistleTask.objects.filter(whistle=whistle).update(
        report_due=REPORT_DUE, due=REPORT_DUE + dt.timedelta(days=7)
    )
    t_cg = whistle.tasks.get(department=cg)
    escalated = Notification.objects.filter(kind="appeal.task_escalated")

    before = timers.escalations(REPORT_DUE - dt.timedelta(minutes=5))
    assert before.task_escalations == [] and not escalated.exists()

    an_hour_late = REPORT_DUE + dt.timedelta(hours=1)
    first = timers.escalations(an_hour_late)
    again = timers.escalations(an_hour_late)
    t_cg.refresh_from_db()
    assert t_cg.escalation_level == 1 and again.task_escalations == []
    assert first.task_escalations == [f"{case.number}/{cg.name} → 街长"]
    assert [n.user_id for n in escalated] == [chief.pk]
    assert cg.name in escalated.get().title
    assert WhistleTask.objects.get(department=hw, whistle=whistle).escalation_level == 0

    # Not yet a working day after the deadline (6.5 office hours: Thursday 10:00).
    timers.escalations(dt.datetime(2026, 3, 5, 9, 30, tzinfo=SH))
    t_cg.refresh_from_db()
    assert t_cg.escalation_level == 1

    second = timers.escalations(dt.datetime(2026, 3, 5, 10, 30, tzinfo=SH))
    timers.escalations(dt.datetime(2026, 3, 5, 11, 30, tzinfo=SH))
    t_cg.refresh_from_db()
    assert t_cg.escalation_level == 2
    assert second.task_escalations == [f"{case.number}/{cg.name} → 区县"]
    assert sorted(escalated.all().values_list("user_id", flat=True)) == sorted([chief.pk, leader.pk])
    assert not Notification.objects.filter(user__in=[other_chief, world.admin], kind="appeal.task_escalated")
    assert AuditEvent.objects.filter(action="appeals.task_escalate", object_id=str(t_cg.pk)).count() == 2


def test_a_task_that_reported_in_is_never_escalated(world, report, departments):
    so = world.street_officer
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="网格无法解决", acting_user=world.grid_worker)
    case = actions.escalate_case(case, reason="社区上报街道", acting_user=so)
    cg, cg_user = departments["城市管理局"]
    whistle = actions.whistle_case(case, summons=[Summons(cg, "拆除违建")], reason="占道违建", acting_user=so)
    task = whistle.tasks.get()
    actions.report_in(task, acting_user=cg_user)
    assert not timers.set_task_escalation(task, level=1)
    timers.escalations(dt.datetime(2030, 1, 1, 10, 0, tzinfo=SH))
    task.refresh_from_db()
    assert task.escalation_level == 0
