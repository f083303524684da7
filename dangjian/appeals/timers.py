"""The appeal timers: reminders before deadlines, escalations after them, 督办 of overdue cases.

Run by the worker (:mod:`dangjian.appeals.tasks`) every minute or so; every function
takes ``now`` so tests can move the clock. Everything is idempotent — running twice at
the same ``now`` changes nothing more:

* reminders and 督办 carry dedupe keys (per case, kind and deadline; 督办 per day), so
  ``notifications.notify`` skips what was already sent;
* an unacknowledged case is escalated through ``actions.escalate_case`` (a status change:
  it is no longer "dispatched" afterwards);
* a whistle task's escalation level moves 0 → 1 → 2 with a compare-and-swap.

Deadlines are working time (:mod:`dangjian.core.workcal`): "within the next working hour"
and "within one working day" count office hours only (a Friday-evening check sees a
Monday-morning deadline as near).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.roles import Role
from dangjian.appeals import actions, events, workflow
from dangjian.appeals.choices import OPEN_STATES, Status, TaskStatus
from dangjian.appeals.models import Case, WhistleTask
from dangjian.core import audit, workcal
from dangjian.notifications.actions import notify

log = logging.getLogger(__name__)

WORKING_DAY = workcal.WORKING_DAY  # 6.5 office hours
ONE_HOUR = dt.timedelta(hours=1)
AUTO_ESCALATE_REASON = "签收超时，系统自动上报"


@dataclass
class Report:
    """What one run did (also the task's JSON result)."""

    reminders: int = 0
    escalated: list[str] = field(default_factory=list)  # case numbers auto-escalated
    task_escalations: list[str] = field(default_factory=list)  # "BL-…/部门 → 街长|区县"
    supervised: int = 0  # 督办 notifications sent

    def as_dict(self) -> dict[str, Any]:
        return {
            "reminders": self.reminders,
            "escalated": self.escalated,
            "task_escalations": self.task_escalations,
            "supervised": self.supervised,
        }

    def lines(self) -> list[str]:
        out = [f"到期提醒：发出 {self.reminders} 条"]
        out.append(
            f"签收超时自动上报：{len(self.escalated)} 件"
            + (f"（{'、'.join(self.escalated)}）" if self.escalated else "")
        )
        out.append(
            f"部门报到超时升级：{len(self.task_escalations)} 项"
            + (f"（{'；'.join(self.task_escalations)}）" if self.task_escalations else "")
        )
        out.append(f"超期督办：发出 {self.supervised} 条")
        return out


def _stamp(moment: dt.datetime) -> str:
    return str(int(moment.timestamp()))


def _notify(users: list[Any], **kwargs: Any) -> int:
    if not users:
        return 0
    return len(notify(users=users, **kwargs))


# --- reminders ---------------------------------------------------------------------------


def due_reminders(now: dt.datetime) -> int:
    """Remind the responsible people of deadlines close ahead. Returns notifications sent."""
    hour_ahead = workcal.add_working_hours(now, ONE_HOUR)
    day_ahead = workcal.add_working_hours(now, WORKING_DAY)
    sent = 0
    related = ("category", "handling_node", "assignee_user")
    for case in Case.objects.filter(
        status=Status.DISPATCHED, ack_due__gt=now, ack_due__lte=hour_ahead
    ).select_related(*related):
        assert case.ack_due is not None
        sent += _notify(
            events.handlers(case),
            kind="appeal.remind_ack",
            title=f"签收提醒：诉求 {case.number} 将于 {timezone.localtime(case.ack_due):%m-%d %H:%M} 超时",
            body=f"{case.title}｜{case.handling_node.name}。请尽快签收，逾期将自动上报。",
            url=events.staff_url(case),
            dedupe_key=f"case:{case.pk}:remind_ack:{_stamp(case.ack_due)}",
        )
    for case in Case.objects.filter(
        status=Status.IN_PROGRESS, resolve_due__gt=now, resolve_due__lte=day_ahead
    ).select_related(*related):
        assert case.resolve_due is not None
        sent += _notify(
            events.handlers(case),
            kind="appeal.remind_resolve",
            title=f"办结提醒：诉求 {case.number} 将于 {timezone.localtime(case.resolve_due):%m-%d %H:%M} 到期",
            body=f"{case.title}｜{case.handling_node.name}。请按期处置并反馈。",
            url=events.staff_url(case),
            dedupe_key=f"case:{case.pk}:remind_resolve:{_stamp(case.resolve_due)}",
        )
    tasks = WhistleTask.objects.filter(whistle__closed_at__isnull=True).select_related(
        "whistle__case", "department", "owner"
    )
    for task in tasks.filter(status=TaskStatus.CONVENED, report_due__gt=now, report_due__lte=hour_ahead):
        case = task.whistle.case
        sent += _notify(
            events.task_users(task),
            kind="appeal.remind_report_in",
            title=f"报到提醒：诉求 {case.number} 吹哨，请于 {timezone.localtime(task.report_due):%m-%d %H:%M} 前报到",
            body=f"任务：{task.duty}",
            url=events.staff_url(case),
            dedupe_key=f"task:{task.pk}:remind_report_in:{_stamp(task.report_due)}",
        )
    for task in tasks.exclude(status=TaskStatus.DONE).filter(due__gt=now, due__lte=day_ahead):
        case = task.whistle.case
        sent += _notify(
            events.task_users(task),
            kind="appeal.remind_task",
            title=f"任务提醒：诉求 {case.number} 的部门任务将于 {timezone.localtime(task.due):%m-%d %H:%M} 到期",
            body=f"任务：{task.duty}",
            url=events.staff_url(case),
            dedupe_key=f"task:{task.pk}:remind_task:{_stamp(task.due)}",
        )
    return sent


# --- escalations -------------------------------------------------------------------------


@transaction.atomic
def set_task_escalation(task: WhistleTask, *, level: int, acting_user: Any = None) -> bool:
    """Raise a department task's escalation level by one step (0 → 1 → 2), only while it
    has not reported in. Compare-and-swap: ``False`` when another run got there first."""
    if level not in (1, 2):
        raise ValidationError({"level": "升级层级只能是 1（街长）或 2（区县）"})
    before = audit.snapshot(task)
    won = WhistleTask.objects.filter(
        pk=task.pk, escalation_level=level - 1, status=TaskStatus.CONVENED
    ).update(escalation_level=level)
    if not won:
        return False
    task.refresh_from_db()
    audit.record(acting_user, "appeals.task_escalate", task, before=before)
    return True


def street_chiefs(street_id: int | None) -> list[Any]:
    """街长 of a street; its officers when no chief is assigned."""
    return list(events.users_with_roles([Role.STREET_CHIEF], node_ids=[street_id])) or list(
        events.users_with_roles([Role.STREET_OFFICER], node_ids=[street_id])
    )


def county_leaders(case: Case) -> list[Any]:
    """The county's administrators and leaders; the city's when the county has none."""
    roles = [Role.CITY_ADMIN, Role.LEADER]
    return list(events.users_with_roles(roles, node_ids=[case.county_id])) or list(
        events.users_with_roles(roles, node_ids=[case.city_id])
    )


def _escalate_task(task: WhistleTask, level: int, report: Report) -> None:
    case = task.whistle.case
    with transaction.atomic():
        if not set_task_escalation(task, level=level):
            return
        if level == 1:
            users, who = street_chiefs(task.whistle.street_id), "街长"
            title = f"部门未按时报到：{task.department.name}（诉求 {case.number}）"
        else:
            users, who = county_leaders(case), "区县"
            title = f"部门报到超时一个工作日仍未报到：{task.department.name}（诉求 {case.number}）"
        _notify(
            users,
            kind="appeal.task_escalated",
            title=title,
            body=(
                f"报到时限 {timezone.localtime(task.report_due):%m-%d %H:%M}；任务：{task.duty}。"
                f"请督促{task.department.name}立即报到。"
            ),
            url=events.staff_url(case),
            dedupe_key=f"task:{task.pk}:escalated:{level}",
        )
    report.task_escalations.append(f"{case.number}/{task.department.name} → {who}")


def escalations(now: dt.datetime, report: Report | None = None) -> Report:
    """Escalate what missed its deadline, and 督办 overdue cases once a day."""
    report = report or Report()
    # 1. Dispatched and not acknowledged in time: the system hands it one level up.
    late = Case.objects.filter(status=Status.DISPATCHED, ack_due__lt=now, acknowledged_at__isnull=True)
    for case in late.order_by("ack_due", "id"):
        try:
            actions.escalate_case(case, reason=AUTO_ESCALATE_REASON, acting_user=None)
        except (workflow.TransitionError, ValidationError) as exc:  # someone acted meanwhile
            log.info("auto-escalation of %s skipped: %s", case.number, exc)
            continue
        report.escalated.append(case.number)
    # 2. Departments that missed the report-in: the street chief, then the county.
    open_tasks = WhistleTask.objects.filter(
        status=TaskStatus.CONVENED, whistle__closed_at__isnull=True, report_due__lt=now
    ).select_related("whistle__case", "department")
    for task in open_tasks.filter(escalation_level=0).order_by("id"):
        _escalate_task(task, 1, report)
    for task in open_tasks.filter(escalation_level=1).order_by("id"):
        if workcal.add_working_hours(task.report_due, WORKING_DAY) <= now:
            _escalate_task(task, 2, report)
    # 3. Overdue cases: 督办 to the dispatching level, once per day.
    today = timezone.localdate(now)
    overdue = Case.objects.filter(status__in=list(OPEN_STATES), resolve_due__lt=now).select_related(
        "handling_node"
    )
    for case in overdue.order_by("resolve_due", "id"):
        assert case.resolve_due is not None
        late_by = workcal.working_days_between(case.resolve_due, now)
        report.supervised += _notify(
            events.dispatchers(case),
            kind="appeal.supervise",
            title=f"督办：诉求 {case.number} 已超期" + (f" {late_by} 个工作日" if late_by > 0 else ""),
            body=(
                f"{case.title}｜{case.handling_node.name}｜{Status(case.status).label}。"
                f"办结时限 {timezone.localtime(case.resolve_due):%Y-%m-%d %H:%M}，请督促办理。"
            ),
            url=events.staff_url(case),
            dedupe_key=f"case:{case.pk}:supervise:{today:%Y%m%d}",
        )
    return report


def run(now: dt.datetime) -> Report:
    """One pass of every timer."""
    report = Report(reminders=due_reminders(now))
    return escalations(now, report)
