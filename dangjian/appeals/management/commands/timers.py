"""``manage.py timers``: the scheduler of the platform's periodic jobs.

Every ``--interval`` seconds it enqueues, for the worker (``db_worker``), each job of
:data:`dangjian.core.schedule.SCHEDULE` whose own interval has passed: the appeal timers
every minute, unclaimed-wish alerts, hotspots, points expiry and the ledger check.
``dangjian serve`` starts this loop next to the worker and the web server, so nothing
depends on a page being open. ``--once`` runs the appeal timers right here, once, and
prints what they did.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dangjian.appeals import timers
from dangjian.core import schedule


class Command(BaseCommand):
    help = "定时检查诉求时限：到期提醒、签收超时自动上报、部门报到超时升级、超期督办"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="立即执行一次并输出结果，然后退出")
        parser.add_argument("--interval", type=int, default=60, help="两次检查之间的秒数（默认 60）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["once"]:
            report = timers.run(timezone.now())
            for line in report.lines():
                self.stdout.write(line)
            return
        interval = opts["interval"]
        if interval < 1:
            raise CommandError("--interval 至少为 1 秒")
        stop = threading.Event()

        def _stop(_signum: int, _frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        self.stdout.write(f"定时任务已启动：每 {interval} 秒检查一次（Ctrl+C 停止）")
        last: dict[str, float] = {}
        while not stop.is_set():
            for job in schedule.due(time.monotonic(), last):
                try:
                    job.load().enqueue()
                    last[job.task] = time.monotonic()
                except Exception as exc:  # a database hiccup must not end the loop
                    self.stderr.write(f"“{job.label}”排队失败：{exc}")
            stop.wait(interval)
        self.stdout.write("定时任务已停止")
