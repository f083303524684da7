"""SMS gateway and WeCom robot: real HTTP to a local server; failures are recorded."""

from __future__ import annotations

import pytest

from dangjian.notifications import actions
from dangjian.notifications import channels as ch
from dangjian.notifications.models import Delivery
from dangjian.notifications.tasks import deliver_notification


@pytest.fixture
def wecom(settings, http_server):
    settings.NOTIFICATION_CHANNELS = ["wecom", "sms"]
    settings.WECOM_WEBHOOK_PREFIX = http_server.url + "/cgi-bin/webhook/send?key="
    settings.SITE_URL = "https://dj.example.cn"
    return http_server


def test_it_posts_markdown_to_the_wecom_robot(world, wecom):
    user = world.grid_worker
    actions.set_preference(
        user,
        mode="realtime",
        digest_hour=18,
        channels=["wecom"],
        wecom_webhook=wecom.url + "/cgi-bin/webhook/send?key=abc-123",
        acting_user=user,
    )
    (n,) = actions.notify(
        users=[user],
        kind="appeal.dispatched",
        title="新诉求已派单",
        body="路灯不亮\n请尽快处理",
        url="/appeals/9/",
    )
    assert deliver_notification.call(n.pk) == {"wecom": "sent"}
    (req,) = wecom.requests
    assert req.path == "/cgi-bin/webhook/send?key=abc-123"
    assert req.body == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**新诉求已派单**\n> 路灯不亮\n> 请尽快处理\n[查看详情](https://dj.example.cn/appeals/9/)"
        },
    }
    assert Delivery.objects.get(notification=n).status == "sent"


def test_it_posts_the_decrypted_phone_to_the_sms_gateway(world, wecom, settings):
    settings.SMS_GATEWAY_URL = wecom.url + "/sms/send"
    settings.SMS_GATEWAY_TOKEN = "gw-secret"
    user = world.grid_worker
    actions.set_preference(user, mode="realtime", digest_hour=18, channels=["sms"], acting_user=user)
    (n,) = actions.notify(users=[user], kind="appeal.dispatched", title="新诉求已派单", url="/appeals/9/")
    assert deliver_notification.call(n.pk) == {"sms": "sent"}
    (req,) = wecom.requests
    assert req.path == "/sms/send"
    assert req.headers["Authorization"] == "Bearer gw-secret"
    assert req.body == {
        "phone": "13000000003",
        "content": f"【{settings.PLATFORM_NAME}】新诉求已派单 https://dj.example.cn/appeals/9/",
    }


def test_it_does_not_offer_sms_without_a_gateway(world, wecom, settings):
    settings.SMS_GATEWAY_URL = ""
    assert list(ch.configured()) == ["wecom"]


def test_it_records_a_failing_server_and_retries_until_the_limit(world, wecom, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    wecom.status, wecom.answer = 500, b"oops"
    user = world.grid_worker
    actions.set_preference(
        user,
        mode="realtime",
        digest_hour=18,
        channels=["wecom"],
        wecom_webhook=wecom.url + "/cgi-bin/webhook/send?key=k",
        acting_user=user,
    )
    (n,) = actions.notify(users=[user], kind="appeal.dispatched", title="派单")
    assert deliver_notification.call(n.pk) == {"wecom": "failed"}
    d = Delivery.objects.get(notification=n)
    assert (d.status, d.attempts, d.last_error, d.sent_at) == ("failed", 1, "对方返回 HTTP 500", None)

    deliver_notification.call(n.pk)  # retry
    deliver_notification.call(n.pk)  # over the limit: not attempted
    assert Delivery.objects.get(notification=n).attempts == 2
    assert len(wecom.requests) == 2


def test_it_treats_a_wecom_error_code_as_a_failure_and_then_recovers(world, wecom):
    wecom.answer = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    user = world.grid_worker
    actions.set_preference(
        user,
        mode="realtime",
        digest_hour=18,
        channels=["wecom"],
        wecom_webhook=wecom.url + "/cgi-bin/webhook/send?key=k",
        acting_user=user,
    )
    (n,) = actions.notify(users=[user], kind="appeal.dispatched", title="派单")
    deliver_notification.call(n.pk)
    assert Delivery.objects.get(notification=n).last_error == "企业微信返回错误 93000：invalid webhook url"
    wecom.answer = b'{"errcode":0,"errmsg":"ok"}'
    assert deliver_notification.call(n.pk) == {"wecom": "sent"}
    d = Delivery.objects.get(notification=n)
    assert (d.status, d.attempts, d.last_error) == ("sent", 2, "")


def test_it_records_an_unreachable_server(world, settings):
    settings.NOTIFICATION_CHANNELS = ["wecom"]
    settings.WECOM_WEBHOOK_PREFIX = "http://127.0.0.1:1/cgi-bin/webhook/send?key="  # nothing listens
    user = world.grid_worker
    actions.set_preference(
        user,
        mode="realtime",
        digest_hour=18,
        channels=["wecom"],
        wecom_webhook="http://127.0.0.1:1/cgi-bin/webhook/send?key=k",
        acting_user=user,
    )
    (n,) = actions.notify(users=[user], kind="appeal.dispatched", title="派单")
    assert deliver_notification.call(n.pk) == {"wecom": "failed"}
    d = Delivery.objects.get(notification=n)
    assert (d.status, d.attempts) == ("failed", 1)
    assert d.last_error.startswith("无法连接")
