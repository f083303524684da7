"""Preferences: bad input gets a Chinese error and changes nothing; the webhook key stays
out of the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.models import AuditEvent
from dangjian.notifications import actions
from dangjian.notifications.models import Preference

GOOD_HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"


@pytest.fixture
def all_channels(settings):
    settings.NOTIFICATION_CHANNELS = ["file", "email", "wecom"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "电子邮箱格式不正确"),
        ({"channels": ["email"]}, "email", "启用邮件通知须填写电子邮箱"),
        (
            {"wecom_webhook": "https://evil.example.com/cgi-bin/webhook/send?key=1"},
            "wecom_webhook",
            "企业微信机器人地址须为 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… 的形式",
        ),
        ({"wecom_webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="}, "wecom_webhook", None),
        ({"channels": ["wecom"]}, "wecom_webhook", "启用企业微信通知须填写群机器人地址"),
        ({"channels": ["sms"]}, "channels", "未知或未开通的通知渠道：sms"),
        ({"mode": "hourly"}, "mode", "推送方式只能是“实时推送”或“每日汇总”"),
        ({"digest_hour": 24}, "digest_hour", "汇总时间应为 0 到 23 点之间的整点"),
    ],
)
def test_it_refuses_bad_input_in_chinese(world, all_channels, changes, field, message):
    user = world.grid_worker
    actions.set_preference(user, mode="realtime", digest_hour=18, channels=["file"], acting_user=user)
    args = {"mode": "digest", "digest_hour": 8, "channels": [], "email": "", "wecom_webhook": "", **changes}
    with pytest.raises(ValidationError) as exc:
        actions.set_preference(user, **args, acting_user=user)
    assert field in exc.value.message_dict
    if message:
        assert exc.value.message_dict[field] == [message]
    pref = Preference.objects.get(user=user)
    assert (pref.mode, pref.digest_hour, pref.channels) == ("realtime", 18, ["file"])


def test_it_saves_good_input_and_keeps_the_webhook_key_out_of_the_audit(world, all_channels):
    user = world.grid_worker
    pref = actions.set_preference(
        user,
        mode="digest",
        digest_hour=7,
        channels=["email", "wecom", "email"],
        email=" gw@example.cn ",
        wecom_webhook=GOOD_HOOK,
        acting_user=user,
    )
    assert (pref.mode, pref.digest_hour, pref.channels, pref.email, pref.wecom_webhook) == (
        "digest",
        7,
        ["email", "wecom"],
        "gw@example.cn",
        GOOD_HOOK,
    )
    event = AuditEvent.objects.get(action="notifications.preference.set")
    assert event.actor == user
    assert event.after is not None and event.after["wecom_webhook"] == "（已设置）"
    assert "693a91f6" not in str(event.before) + str(event.after)
