"""``dangjian demo``: build the demo city 北流市 and print its accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.demo import accounts, beiliu
from dangjian.territory.models import Node


class Command(BaseCommand):
    help = "生成演示城市北流市（3 个街道、33 个社区、97 个网格、78 个小区……），并打印演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有区域数据时什么也不做")
        parser.add_argument("--accounts", action="store_true", help="只打印已存在的演示账号")
        parser.add_argument("--residents", type=int, default=5000, help="居民人数（默认 5000）")
        parser.add_argument("--seed", type=int, default=beiliu.SEED, help="随机种子（默认固定）")
        parser.add_argument("--cases", type=int, default=None, help="诉求件数（默认约 600；冒烟测试用少量）")
        parser.add_argument(
            "--classifier",
            choices=("worker", "now"),
            default="worker",
            help="诉求分类模型：worker 由后台任务在服务启动后训练（默认，启动更快）；now 当场训练（约一分钟）",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["accounts"]:
            self.stdout.write(accounts.table(accounts.existing()))
            return
        if opts["if_empty"] and Node.objects.exists():
            self.stdout.write("数据库中已有区域数据，跳过演示城市。")
            return
        if beiliu.exists():
            raise CommandError("演示城市北流市（450981）已存在；如需重建请使用新的数据库（SQLITE_PATH）")
        self.stdout.write("正在生成演示城市：玉林市北流市 …")
        demo = beiliu.build(
            residents=opts["residents"],
            cases=opts["cases"],
            seed=opts["seed"],
            classifier=opts["classifier"],
            log=self.stdout.write,
        )
        self.stdout.write(beiliu.format_counts(demo.counts))
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {demo.seconds:.1f} 秒。演示账号："))
        self.stdout.write(accounts.table(accounts.existing()))
