"""python manage.py import_xlsx FILE [--as PHONE]  (alias: dangjian import FILE)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dangjian.accounts.models import User
from dangjian.core import crypto
from dangjian.exchange import actions
from dangjian.exchange.models import ImportStatus

PHASES = {"validating": "校验", "importing": "写入"}


class Command(BaseCommand):
    help = "从 Excel (.xlsx) 导入区域、单位、党组织、居民、党员、服务阵地；有任何问题则不导入"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument(
            "--as",
            dest="as_phone",
            default="",
            help="以此手机号用户的身份和管辖范围导入（默认以系统身份，不受范围限制）",
        )

    def handle(self, *args: Any, file: str, as_phone: str, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        user = None
        if as_phone:
            user = User.objects.filter(
                phone_hash=crypto.lookup_hash("phone", as_phone), is_active=True
            ).first()
            if user is None:
                raise CommandError(f"没有手机号为 {as_phone} 的有效用户")
        bars: dict[str, tqdm] = {}

        def progress(phase: str, done: int, total: int) -> None:
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():  # one phase at a time: close the finished bar
                    other.close()
                bar = bars[phase] = tqdm(
                    total=total, desc=PHASES.get(phase, phase), unit="行", file=self.stderr
                )
            bar.update(done - bar.n)

        with path.open("rb") as fh:
            job = actions.create_import_job(
                upload=File(fh), original_name=path.name, acting_user=user, as_system=user is None
            )
        job = actions.run_import_job(job.pk, progress=progress)
        for bar in bars.values():
            bar.close()
        if job.status != ImportStatus.DONE:
            self.stdout.write(f"导入失败：共 {len(job.errors)} 个问题，未写入任何数据")
            self.stdout.write("工作表 / 行 / 列 / 原因")
            for p in job.errors:
                self.stdout.write(
                    f"{p['sheet'] or '-'} / {p['row'] or '-'} / {p['column'] or '-'} / {p['reason']}"
                )
            raise SystemExit(1)
        parts = "，".join(f"{name} {count} 条" for name, count in job.summary.items())
        self.stdout.write(self.style.SUCCESS(f"导入成功：{parts or '没有数据行'}"))
