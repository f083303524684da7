"""The private tracking link for cases whose reporter has no account (12345 hotline, Open311,
staff-entered): rating through the link, and sending the link by SMS.

A case without a reporter account can be rated only by whoever holds its private link —
the link *is* the reporter's credential, the same way the reporter's account is for a
resident's own case. :class:`LinkHolder` stands for that person: it is the reporter of the
case in the workflow table's sense (``access.actor_kinds`` gives the REPORTER kind to a
link holder bound to that case, when the case has no reporter account), so the rating goes
through the very same ``actions.rate_case`` and its transition check — 不满意 reopens once,
one level up. When the reporter does have an account (``reporter_user``, or a reporter
person who has one), the link acts as that account instead (``views_public._rater``).

Writes here follow the actions style: keyword-only, explicit acting user, atomic, an audit
row, the SMS itself sent after the commit by the worker (``channel_tasks.send_link_sms``).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.appeals import actions, workflow
from dangjian.appeals.access import actor_kinds
from dangjian.appeals.choices import Actor, Rating, Status
from dangjian.appeals.models import Case
from dangjian.core import audit
from dangjian.notifications import channels


class AlreadyRated(workflow.TransitionError):
    """A second rating through the link: nothing changes."""


class LinkHolder:
    """Whoever holds a case's private tracking link, acting as its reporter (no account).

    Bound to the one case whose link was checked: ``access.actor_kinds`` gives it the
    REPORTER kind for that case only (and nothing for any other case)."""

    pk = None
    id = None

    def __init__(self, case_id: int) -> None:
        self.link_case_id = case_id

    person_id = None
    is_authenticated = True
    is_active = True
    is_superuser = False
    name = "反映人（专属链接）"

    def active_assignments(self) -> list[Any]:
        return []

    def __str__(self) -> str:
        return self.name


LINK_HOLDER_NAME = LinkHolder.name


def has_reporter_account(case: Case) -> bool:
    """The reporter has an account of their own (then the link acts as that account)."""
    if case.reporter_user_id:
        return True
    return bool(
        case.reporter_id
        and get_user_model().objects.filter(person_id=case.reporter_id, is_active=True).exists()
    )


def link_may_rate(case: Case) -> bool:
    """The link holder may rate this case now (办结待评价, and no reporter account)."""
    return case.status == Status.CLOSED and not has_reporter_account(case)


@transaction.atomic
def rate_by_link(case: Case, *, token: str, rating: str, comment: str = "") -> Case:
    """反馈评价 by the holder of the private link of a case without a reporter account.

    Once per closing: a second submit raises :class:`AlreadyRated` and changes nothing.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not token or not secrets.compare_digest(locked.tracking_token, token):
        raise workflow.TransitionError("链接无效")
    if has_reporter_account(locked):
        raise workflow.TransitionError("请登录反映人账号后评价")
    if locked.status != Status.CLOSED:
        if locked.rated_at is not None:
            raise AlreadyRated("您已评价过该诉求，本次提交未作更改")
        raise workflow.TransitionError("诉求办结后才能评价")
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择 满意 / 基本满意 / 不满意"})
    holder = LinkHolder(locked.pk)
    if Actor.REPORTER not in actor_kinds(holder, locked):  # the table decides, as for everyone
        raise workflow.TransitionError("链接持有人不能评价该诉求")
    rated = actions.rate_case(locked, rating=rating, comment=comment or "", acting_user=holder)
    audit.record(None, "appeals.rate_by_link", rated, after={"rating": rating, "via": "tracking_link"})
    return rated


# --- the link by SMS -------------------------------------------------------------------------


def sms_available() -> bool:
    return channels.SmsChannel().available()


def may_send_link(user: Any, case: Case) -> bool:
    """Staff who receive, dispatch or verify the case may send its link to the reporter."""
    return bool(actor_kinds(user, case) & {Actor.DISPATCHER, Actor.VERIFIER, Actor.SYSTEM})


def link_sms_text(case: Case) -> str:
    if case.status == Status.CLOSED:
        return f"您反映的问题（{case.number}）已办结，请点击链接评价"
    return f"您反映的问题（{case.number}）已受理，点击链接查看办理进度"


@transaction.atomic
def send_link_sms(case: Case, *, acting_user: Any) -> Case:
    """Queue an SMS with the private tracking link to the case's contact phone."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_send_link(acting_user, case):
        raise workflow.TransitionError("您无权向该诉求的反映人发送短信")
    if not case.contact_phone_enc:
        raise ValidationError({"phone": "该诉求没有联系电话，无法发送短信"})
    if not sms_available():
        raise ValidationError({"sms": "短信网关未配置，请将链接复制后另行发送"})
    audit.record(
        acting_user,
        "appeals.send_link_sms",
        case,
        after={"phone": case.contact_phone_masked, "text": link_sms_text(case)},
    )
    case_id = case.pk
    transaction.on_commit(lambda: _enqueue_sms(case_id), robust=True)
    return case


def _enqueue_sms(case_id: int) -> None:
    from dangjian.appeals.channel_tasks import send_link_sms as task

    task.enqueue(case_id=case_id)
