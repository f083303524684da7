"""Who hears about a case event: the notification fan-out of the appeal loop.

``actions._transition`` calls :func:`case_changed` after the commit
(``transaction.on_commit``), so a notification never announces a change that was rolled
back, and a failure here never undoes the change itself. Each notification carries the
dedupe key ``case:<id>:<event>:<transition id>``: running the fan-out twice for the same
transition notifies nobody twice.

The recipient helpers are shared with :mod:`dangjian.appeals.timers`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from dangjian.appeals import public_view
from dangjian.appeals.access import DISPATCHING_ROLES
from dangjian.appeals.choices import Event, Status
from dangjian.appeals.models import Case, Follower, Transition, WhistleTask
from dangjian.notifications import actions as notifications

log = logging.getLogger(__name__)


# --- recipients --------------------------------------------------------------------------


def users_with_roles(
    roles: Iterable[str], *, node_ids: Iterable[int | None] = (), unit_id: int | None = None
) -> QuerySet:
    """Active users holding one of ``roles`` (active assignment) at one of ``node_ids``
    and/or in the unit ``unit_id``."""
    where = Q(assignments__active=True, assignments__role__in=list(roles))
    nodes = [n for n in node_ids if n]
    if nodes:
        where &= Q(assignments__node_id__in=nodes)
    if unit_id:
        where &= Q(assignments__unit_id=unit_id)
    if not nodes and not unit_id:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(where, is_active=True).distinct()


def unit_users(unit_id: int | None) -> list[Any]:
    """Everyone with an active assignment in a unit or department."""
    if not unit_id:
        return []
    return list(
        get_user_model()
        .objects.filter(assignments__active=True, assignments__unit_id=unit_id, is_active=True)
        .distinct()
    )


def node_staff(node_id: int | None) -> list[Any]:
    """Staff who receive, dispatch and verify cases at a node (the roles of ``DISPATCHING_ROLES``)."""
    return list(users_with_roles(DISPATCHING_ROLES, node_ids=[node_id]))


def handlers(case: Case) -> list[Any]:
    """Whoever must act on a dispatched case: the named person, else the unit, else the node's staff."""
    if case.assignee_user_id:
        return [case.assignee_user]
    if case.assignee_unit_id:
        return unit_users(case.assignee_unit_id)
    return node_staff(case.handling_node_id)


def reporters(case: Case, *, followers: bool = False) -> list[Any]:
    """The reporter's account (if any) and, with ``followers``, everyone following the case."""
    User = get_user_model()
    out: list[Any] = []
    if case.reporter_user_id:
        out.append(case.reporter_user)
    elif case.reporter_id:
        out.extend(User.objects.filter(person_id=case.reporter_id, is_active=True))
    if followers:
        user_ids = Follower.objects.filter(case=case, user__isnull=False).values_list("user_id", flat=True)
        out.extend(User.objects.filter(pk__in=list(user_ids), is_active=True))
    return out


def dispatchers(case: Case) -> list[Any]:
    """The dispatching level of a case: whoever dispatched it last and the staff of its node."""
    out = node_staff(case.handling_node_id)
    last = (
        Transition.objects.filter(case=case, event=Event.DISPATCH, actor__isnull=False)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    if last is not None and last.actor is not None:
        out.append(last.actor)
    return out


def task_users(task: WhistleTask) -> list[Any]:
    """A department's task on a whistle: its owner and the department's people."""
    out = unit_users(task.department_id)
    if task.owner_id:
        out.append(task.owner)
    return out


# --- links -------------------------------------------------------------------------------


def _first_url(names: Iterable[str], *args: Any) -> str | None:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def staff_url(case: Case) -> str:
    return _first_url(["appeals:case"], case.pk) or f"/appeals/staff/case/{case.pk}/"


def reporter_url(case: Case) -> str:
    """The reporter's private tracking link (never sent to anyone else)."""
    return _first_url(["appeals:track"], case.tracking_token) or f"/appeals/t/{case.tracking_token}/"


def public_url(case: Case) -> str:
    """The public view of a case, personal data removed (for followers)."""
    return _first_url(["appeals:public_case"], case.number) or f"/appeals/c/{case.number}/"


# --- the fan-out -------------------------------------------------------------------------


def _send(users: Iterable[Any], *, case: Case, event: str, key: str, title: str, body: str, url: str) -> int:
    recipients = [u for u in users if u is not None]
    if not recipients:
        return 0
    created = notifications.notify(
        users=recipients, kind=f"appeal.{event}", title=title, body=body, url=url, dedupe_key=key
    )
    return len(created)


def case_changed(case_id: int, event: str, transition_id: int | None = None) -> int:
    """Notify the people concerned by ``event`` on a case. Returns how many were notified.

    Never raises: it runs after the commit, and a notification problem must not surface as
    a failed action.
    """
    try:
        return _case_changed(case_id, str(event), transition_id)
    except Exception:
        log.exception("appeal notification failed: case %s, event %s", case_id, event)
        return 0


def _case_changed(case_id: int, event: str, transition_id: int | None) -> int:
    case = (
        Case.objects.select_related(
            "category", "handling_node", "assignee_unit", "assignee_user", "reporter_user"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        return 0
    transitions = Transition.objects.filter(case=case, event=event).select_related("actor")
    tr = (
        transitions.filter(pk=transition_id).first() if transition_id else transitions.order_by("-id").first()
    )
    if tr is None:
        return 0
    key = f"case:{case.pk}:{event}:{tr.pk}"
    actor_id = tr.actor_id
    no = case.number
    where = case.handling_node.name if case.handling_node_id else ""
    recipients: list[Any] = []
    title = body = ""
    url = staff_url(case)
    reason = tr.note

    if event in (Event.DISPATCH, Event.ESCALATE):
        recipients = handlers(case) if event == Event.DISPATCH else node_staff(case.handling_node_id)
        verb = "派遣" if event == Event.DISPATCH else "上报"
        title = f"新{verb}诉求 {no}：{case.title}"
        due = f"，请在 {case.ack_due:%m-%d %H:%M} 前签收" if event == Event.DISPATCH and case.ack_due else ""
        body = f"{case.category.name}｜{where}{due}。" + (f"\n说明：{reason}" if reason else "")
    elif event == Event.WHISTLE:
        whistle = case.whistles.order_by("-id").first()
        tasks = list(whistle.tasks.select_related("owner")) if whistle else []
        count = 0
        for task in tasks:
            count += _send(
                [u for u in task_users(task) if u.pk != actor_id],
                case=case,
                event=event,
                key=f"{key}:task:{task.pk}",
                title=f"街道吹哨，请报到：{no}",
                body=f"任务：{task.duty}\n请在 {task.report_due:%m-%d %H:%M} 前报到，{task.due:%m-%d %H:%M} 前完成。",
                url=url,
            )
        return count
    elif event == Event.FEEDBACK:
        recipients = node_staff(case.handling_node_id)
        title = f"诉求 {no} 已反馈处置结果，请核查"
        body = reason
    elif event == Event.VERIFY_RETURN:
        recipients = handlers(case)
        title = f"诉求 {no} 核查未通过，请返工"
        body = reason
    elif event == Event.VERIFY_PASS:
        # The reporter gets the private link (to rate); followers the public view.
        own = [u for u in reporters(case) if u.pk != actor_id]
        own_ids = {u.pk for u in own}
        others = [u for u in reporters(case, followers=True) if u.pk not in own_ids and u.pk != actor_id]
        title, body = "您反映的问题已办结，请评价", f"{no}：{case.title}"
        sent = _send(own, case=case, event=event, key=key, title=title, body=body, url=reporter_url(case))
        return sent + _send(
            others,
            case=case,
            event=event,
            key=key,
            title="您关注的问题已办结",
            body=f"{no}：{public_view.public_title(case)}",  # followers: what the public sees
            url=public_url(case),
        )
    elif event == Event.REOPEN:
        recipients = node_staff(case.handling_node_id)
        title = f"诉求 {no} 反映人不满意，已提级重办"
        body = f"{case.title}｜{where}"
    elif event in (Event.REJECT, Event.CLOSE_DUPLICATE, Event.CLOSE_NOT_OURS, Event.CANCEL):
        recipients = reporters(case)
        title = f"您反映的问题 {no} {Status(case.status).label}"
        body = f"原因：{reason}" if reason else ""
        url = reporter_url(case)
    else:
        return 0
    recipients = [u for u in recipients if u is not None and u.pk != actor_id]
    return _send(recipients, case=case, event=event, key=key, title=title, body=body, url=url)
