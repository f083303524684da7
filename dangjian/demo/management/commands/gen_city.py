"""``dangjian gen --scale city``: generate a Yulin-sized city for benchmarks."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from dangjian.demo.citygen import SCALES, generate
from dangjian.territory.models import Node


class Command(BaseCommand):
    help = "按种子生成一个玉林规模的城市（约 750 个网格、100 万居民、22.5 万在职党员、2108 个单位）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", choices=sorted(SCALES), default="small", help="规模：city / small / tiny"
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成同样的城市）")
        parser.add_argument("--city-code", default="450900", help="市级 GB/T 2260 代码（默认玉林 450900）")
        parser.add_argument("--city-name", default="玉林市")
        parser.add_argument("--batch", type=int, default=5000, help="每批写入行数")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--report-json", default="", help="把统计结果另存为 JSON 文件（基准测试用）")

    def handle(self, *args: Any, **opts: Any) -> None:
        code = opts["city_code"]
        if not (len(code) == 6 and code.isdigit() and code.endswith("00")):
            raise CommandError("--city-code 应为 6 位地级行政区划代码（末两位 00），如 450900")
        if Node.objects.filter(code__startswith=code[:4], level__in=("city", "county")).exists():
            raise CommandError(
                f"数据库中已有代码 {code[:4]}xx 的市或县；请换一个空数据库（设置 SQLITE_PATH）或使用 --city-code"
            )
        scale = SCALES[opts["scale"]]
        self.stdout.write(
            f"生成{opts['city_name']}（规模 {scale.name}，种子 {opts['seed']}）：{scale.grids:,} 个网格、"
            f"{scale.residents:,} 名居民、{scale.in_service:,} 名在职党员、{scale.units:,} 个单位 …"
        )
        bar = tqdm(
            total=scale.residents,
            unit="人",
            unit_scale=True,
            disable=opts["no_progress"],
            file=self.stderr._out,
        )
        try:
            report = generate(
                scale,
                seed=opts["seed"],
                city_code=code,
                city_name=opts["city_name"],
                batch=opts["batch"],
                progress=bar.update,
            )
        finally:
            bar.close()
        self.stdout.write("、".join(f"{k} {v:,}" for k, v in report.totals.items()))
        if opts["report_json"]:
            Path(opts["report_json"]).write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2))
        size = f"{report.db_bytes / 2**20:,.1f} MB" if report.db_bytes is not None else "未知"
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {report.seconds:.1f} 秒，数据库大小 {size}。"))
