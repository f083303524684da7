"""``manage.py needs_timers``: alert community staff about needs unclaimed for N days."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from dangjian.needs import timers


class Command(BaseCommand):
    help = "心愿墙上超过 N 天无人接单的心愿，提醒社区与街道（可重复运行，不重复提醒）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--days", type=int, default=None, help="无人接单的天数（默认 NEEDS_UNCLAIMED_DAYS=3）"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        report = timers.run(timezone.now(), days=opts["days"])
        self.stdout.write(f"提醒 {len(report.alerted)} 件心愿，发出 {report.notifications} 条消息")
