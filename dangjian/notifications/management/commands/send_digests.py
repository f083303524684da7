from typing import Any

from django.core.management.base import BaseCommand

from dangjian.notifications import actions


class Command(BaseCommand):
    help = "发送每日消息汇总（给选择“每日汇总”且已到汇总时间的用户）"

    def handle(self, *args: Any, **options: Any) -> None:
        count = actions.send_digests()
        self.stdout.write(f"已发送 {count} 份消息汇总")
