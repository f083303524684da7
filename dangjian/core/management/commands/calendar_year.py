"""Enter a whole year's holiday calendar by hand, e.g. once the State Council publishes it.

    python manage.py calendar_year 2027 --file 2027.txt [--source "国办发明电〔2026〕x号"]

The file has one day per line, "YYYY-MM-DD 名称 holiday|workday" (see
``workcal.LINE_FORMAT_HELP``). The year's manual entries are replaced in one transaction
and the year is marked complete, so the built-in package is ignored for it. Any bad line
stops the command before anything is written, listing every bad line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.core import workcal
from dangjian.core.actions import do_replace_calendar_year


class Command(BaseCommand):
    help = "整年录入节假日与调休安排（替换该年全部人工条目并标记为整年已录入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年份，如 2027")
        parser.add_argument("--file", required=True, help="文本文件，每行“YYYY-MM-DD 名称 holiday|workday”")
        parser.add_argument("--source", default="", help="依据，如通知文号")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        if not 1949 <= year <= 2200:
            raise CommandError(f"年份“{year}”无效")
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc}") from exc
        try:
            days = workcal.parse_year_lines(text, year)
        except workcal.CalendarInputError as exc:
            lines = "\n".join(f"  {e}" for e in exc.errors)
            raise CommandError(
                f"文件中有{len(exc.errors)}行有误，未写入任何数据：\n{lines}\n{workcal.LINE_FORMAT_HELP}"
            ) from exc
        do_replace_calendar_year(
            year=year, days=days, source=options["source"] or f"文件 {path.name}", acting_user=None
        )
        holidays = sum(d.kind == workcal.HOLIDAY for d in days)
        self.stdout.write(
            self.style.SUCCESS(
                f"{year}年已录入：放假{holidays}天，调休上班{len(days) - holidays}天；该年不再使用内置日历。"
            )
        )
