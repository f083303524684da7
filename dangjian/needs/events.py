"""Who hears about a need's change. Called after the commit (``transaction.on_commit``),
so a notification never announces a change that was rolled back."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from dangjian.accounts.models import User
from dangjian.accounts.roles import Role
from dangjian.needs.models import Need
from dangjian.notifications.actions import notify


def community_staff(need: Need) -> list[Any]:
    """Community workers of the need's community (who review and dispatch it)."""
    return list(
        User.objects.filter(
            is_active=True,
            assignments__active=True,
            assignments__role=Role.COMMUNITY_WORKER,
            assignments__node_id=need.community_id or 0,
        ).distinct()
    )


def _user_of_person(person_id: int | None) -> list[Any]:
    if not person_id:
        return []
    return list(User.objects.filter(person_id=person_id, is_active=True))


def claimer_users(need: Need) -> list[Any]:
    users = []
    if need.claimed_by_id:
        users.append(need.claimed_by)
    if need.claimed_member is not None:
        users += _user_of_person(need.claimed_member.person_id)
    return users


def need_changed(need_id: int, event: str) -> int:
    need = Need.objects.select_related("claimed_member", "claimed_by").filter(pk=need_id).first()
    if need is None:
        return 0
    url = reverse("needs:detail", args=[need.pk])
    resident = _user_of_person(need.beneficiary_id)
    title = f"“{need.title}”"
    messages: dict[str, tuple[list[Any], str]] = {
        "submit": (community_staff(need), f"新心愿待审核：{title}"),
        "publish": (resident, f"您的心愿{title}已上心愿墙"),
        "reject": (resident, f"您的心愿{title}未通过审核"),
        "order": (resident, f"党支部已为您的心愿{title}下单"),
        "claim": (resident, f"您的心愿{title}已有人接单：{need.claimer_name}"),
        "assign": (resident + claimer_users(need), f"心愿{title}已指派给{need.claimer_name}"),
        "release": (resident + community_staff(need), f"心愿{title}已退单，重新上墙"),
        "fund": (resident, f"心愿{title}已由{need.funder_unit or '单位'}买单"),
        "fulfil": (resident, f"您的心愿{title}已完成，请确认"),
        "return": (claimer_users(need), f"心愿{title}被退回：尚未完成"),
        "confirm": (claimer_users(need), f"心愿{title}已确认完成，感谢您的付出"),
        "rate": (claimer_users(need), f"心愿{title}收到了评价：{need.rating or ''}星"),
        "cancel": (resident + claimer_users(need), f"心愿{title}已撤销"),
    }
    if event not in messages:
        return 0
    users, text = messages[event]
    sent = notify(
        users=users,
        kind=f"needs.{event}",
        title=text,
        url=url,
        dedupe_key=f"needs:{need.pk}:{event}:{need.updated_at.timestamp():.0f}",
    )
    return len(sent)
