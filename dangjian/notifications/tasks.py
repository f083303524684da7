"""Background work, run by ``db_worker``: one notification's external delivery, daily digests."""

from __future__ import annotations

from django_tasks import task

from dangjian.notifications import actions


@task()
def deliver_notification(notification_id: int) -> dict[str, str]:
    return actions.deliver(notification_id)


@task()
def send_digests() -> int:
    return actions.send_digests()
