"""``dangjian points check``: prove the ledgers, and that nobody holds more of a rule's
points in a year than its cap per person (exit 1 on any problem).
``dangjian points expire [--today YYYY-MM-DD]``: expire honour points past their date."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.points import actions, selectors


class Command(BaseCommand):
    help = "积分账本：check 校验账本（分录平衡、缓存余额、各账本合计为 0、每人每年不超过规则上限）；expire 到期积分清零"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["check", "expire"])
        parser.add_argument("--today", help="按这一天执行到期清零（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "expire":
            today = None
            if options["today"]:
                try:
                    today = datetime.date.fromisoformat(options["today"])
                except ValueError as exc:
                    raise CommandError("日期格式应为 YYYY-MM-DD") from exc
            result = actions.run_expiry(today=today)
            self.stdout.write(
                f"{result['earned_year']}年获得的积分到期清零：{result['accounts']} 个账户，共 {result['points']} 分"
            )
            return
        check = selectors.check_ledger()
        self.stdout.write(f"账户 {check.accounts} 个，流水 {check.movements} 笔")
        for ledger, total in check.totals.items():
            self.stdout.write(f"  {ledger} 合计 {total}")
        if not check.ok:
            for problem in check.problems:
                self.stderr.write(f"  ✗ {problem}")
            raise CommandError(f"账本校验未通过：{len(check.problems)} 个问题")
        self.stdout.write(
            self.style.SUCCESS(
                "账本校验通过：每笔流水借贷平衡，缓存余额等于分录合计，各账本合计为 0，无人超过规则年度上限"
            )
        )
