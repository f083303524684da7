"""E-mail goes through django.core.mail to the address the user gave."""

from __future__ import annotations

from django.core import mail

from dangjian.notifications import actions
from dangjian.notifications.tasks import deliver_notification


def test_it_sends_an_email(world, settings):
    settings.NOTIFICATION_CHANNELS = ["email"]
    settings.SITE_URL = "https://dj.example.cn"
    user = world.street_officer
    actions.set_preference(
        user, mode="realtime", digest_hour=18, channels=["email"], email="lc@example.cn", acting_user=user
    )
    (n,) = actions.notify(
        users=[user], kind="appeal.overdue", title="诉求即将超时", body="还剩 2 小时", url="/appeals/3/"
    )
    assert deliver_notification.call(n.pk) == {"email": "sent"}
    (message,) = mail.outbox
    assert message.to == ["lc@example.cn"]
    assert message.subject == f"【{settings.PLATFORM_NAME}】诉求即将超时"
    assert message.body == "诉求即将超时\n还剩 2 小时\nhttps://dj.example.cn/appeals/3/"
