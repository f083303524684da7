"""``dangjian hotspots [--days 30]``: recompute the hotspots (热点问题) now."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.dispatch import actions, hotspots


class Command(BaseCommand):
    help = "重新计算热点问题（近 N 天的诉求按问题领域、距离和文字聚类，按热度指数排序）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=hotspots.DEFAULT_DAYS, help="统计最近多少天（默认 30）"
        )
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行（db_worker）")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["enqueue"]:
            from dangjian.dispatch.tasks import recompute_hotspots_task

            recompute_hotspots_task.enqueue(days=opts["days"])
            self.stdout.write("已加入后台任务队列")
            return
        try:
            spots = actions.recompute_hotspots(days=opts["days"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"热点问题 {len(spots)} 个（近 {opts['days']} 天）")
        for s in spots[:10]:
            flag = " 建议吹哨" if s.suggests_whistle else ""
            self.stdout.write(f"  热度 {s.heat:>6.1f}  {s.cases:>3} 件  {s.title}{flag}")
