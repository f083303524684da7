"""Notifications API: the caller's own notifications (list, one, mark read) and preferences.
Nobody sees another user's notifications; a foreign id answers 404 like a missing one."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.accounts.api import auth_user
from dangjian.core.bounds import IdList, PageNumberPagination
from dangjian.notifications import actions, selectors
from dangjian.notifications import channels as ch
from dangjian.notifications.choices import Mode
from dangjian.notifications.models import Notification, Preference

router = Router(tags=["消息通知"])
PAGE_SIZE = 50


class NotificationOut(Schema):
    id: int = Field(..., description="消息编号")
    kind: str = Field(..., description="类别代码，如 appeal.dispatch（供程序筛选，不向用户显示）")
    kind_label: str = Field(..., description="类别名称，如 诉求派遣（向用户显示这一项）")
    title: str = Field(..., description="标题")
    body: str = Field("", description="内容")
    url: str = Field("", description="相关页面链接")
    created_at: datetime = Field(..., description="时间")
    read_at: datetime | None = Field(None, description="已读时间（未读为空）")
    is_read: bool = Field(..., description="是否已读")


class NotificationFilter(Schema):
    unread: bool = Field(False, description="只看未读")


class MarkReadIn(Schema):
    ids: IdList = Field(default_factory=list, description="要标为已读的消息编号")
    all: bool = Field(False, description="全部标为已读（忽略 ids）")


class MarkReadOut(Schema):
    marked: int = Field(..., description="本次标为已读的条数")
    unread: int = Field(..., description="剩余未读条数")


class ChannelOut(Schema):
    name: str = Field(..., description="渠道代码")
    label: str = Field(..., description="渠道名称")


class PreferenceIn(Schema):
    mode: str = Field(..., description="推送方式：realtime 实时推送、digest 每日汇总")
    digest_hour: int = Field(18, ge=0, le=23, description="每日汇总时间（0–23 点）")
    channels: list[str] = Field(default_factory=list, description="启用的站外渠道代码")
    email: str = Field("", description="电子邮箱（启用 email 渠道时必填）")
    wecom_webhook: str = Field("", description="企业微信群机器人 Webhook 地址（启用 wecom 渠道时必填）")


class PreferenceOut(Schema):
    mode: str = Field(..., description="推送方式")
    mode_label: str = Field(..., description="推送方式名称")
    digest_hour: int = Field(..., description="每日汇总时间（点）")
    channels: list[str] = Field(..., description="启用的站外渠道")
    email: str = Field("", description="电子邮箱")
    wecom_webhook: str = Field("", description="企业微信群机器人地址")
    available_channels: list[ChannelOut] = Field(..., description="本平台已开通、可选择的渠道")


def _preference_out(pref: Preference) -> dict[str, Any]:
    return {
        "mode": pref.mode,
        "mode_label": str(Mode(pref.mode).label),
        "digest_hour": pref.digest_hour,
        "channels": list(pref.channels),
        "email": pref.email,
        "wecom_webhook": pref.wecom_webhook,
        "available_channels": [{"name": n, "label": c.label} for n, c in ch.configured().items()],
    }


@router.get("", response=list[NotificationOut], summary="我的消息（未读在前）")
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilter]) -> Any:
    return selectors.inbox(auth_user(request), unread_only=filters.unread)


@router.post("/read", response=MarkReadOut, summary="标为已读")
def mark_read(request: HttpRequest, payload: MarkReadIn) -> dict[str, int]:
    user = auth_user(request)
    if not payload.all and not payload.ids:
        raise ValidationError({"ids": "请指定要标为已读的消息，或传 all=true"})
    marked = actions.mark_read(user, "all" if payload.all else payload.ids)
    return {"marked": marked, "unread": selectors.unread_count(user)}


@router.get("/preferences", response=PreferenceOut, summary="我的通知设置")
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    return _preference_out(actions.preference_for(auth_user(request)))


@router.put("/preferences", response=PreferenceOut, summary="修改通知设置")
def put_preferences(request: HttpRequest, payload: PreferenceIn) -> dict[str, Any]:
    user = auth_user(request)
    pref = actions.set_preference(user, **payload.dict(), acting_user=user)
    return _preference_out(pref)


@router.get("/{notification_id}", response=NotificationOut, summary="一条消息")
def get_notification(request: HttpRequest, notification_id: int) -> Notification:
    notification = Notification.objects.filter(user=auth_user(request), pk=notification_id).first()
    if notification is None:
        raise Http404("未找到或无权访问")
    return notification
