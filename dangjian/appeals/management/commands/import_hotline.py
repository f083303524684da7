"""``manage.py import_hotline FILE.xlsx [--as PHONE]``: import 12345 hotline work orders.

Every row is validated first; any problem is listed (row, column, reason) and nothing is
written. Re-importing the same file creates nothing twice. ``--template OUT.xlsx`` writes
an empty template with one example row instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.appeals import hotline
from dangjian.core import crypto


class Command(BaseCommand):
    help = "导入 12345 热线工单（.xlsx）：逐行校验，全部无误才导入；重复导入不会重复建件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="12345 工单表（.xlsx）；与 --template 同用时为输出文件")
        parser.add_argument("--as", dest="as_phone", default="", help="以该手机号对应的工作人员身份导入")
        parser.add_argument("--template", action="store_true", help="生成导入模板到 FILE")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if opts["template"]:
            path.write_bytes(hotline.template_workbook())
            self.stdout.write(self.style.SUCCESS(f"模板已生成：{path}"))
            return
        user = None
        if opts["as_phone"]:
            User = get_user_model()
            user = User.objects.filter(
                phone_hash=crypto.lookup_hash("phone", crypto.normalise_phone(opts["as_phone"])),
                is_active=True,
            ).first()
            if user is None:
                raise CommandError(f"未找到手机号为 {opts['as_phone']} 的有效用户")
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        with path.open("rb") as f:
            result = hotline.import_hotline(f, acting_user=user)
        for problem in result.problems:
            self.stderr.write(str(problem))
        if not result.ok:
            raise CommandError(result.summary())
        for case in result.created:
            self.stdout.write(f"{case.number}  {case.title}")
        self.stdout.write(self.style.SUCCESS(result.summary()))
