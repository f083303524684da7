"""``python manage.py seed_street_tasks STREET_CODE``: load the default 街长制 40-item list."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.appeals import street_actions
from dangjian.territory.models import Node


class Command(BaseCommand):
    help = "为街道载入默认的街长制任务清单（40 项，三个领域；可重复执行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("street_code", help="街道(镇)的区域编码")

    def handle(self, *args: Any, street_code: str, **options: Any) -> None:
        street = Node.objects.filter(code=street_code).first()
        if street is None:
            raise CommandError(f"未找到编码为 {street_code} 的区域")
        if street.level != "street":
            raise CommandError(f"{street.name} 不是街道(镇)")
        seeded = street_actions.seed_street_tasks(street=street, acting_user=None)
        self.stdout.write(f"{street.name}：新增 {seeded.created} 项，已有 {seeded.existing} 项")
        if seeded.missing_departments:
            self.stdout.write(
                self.style.WARNING(
                    "未找到以下驻街部门，相关事项暂未关联：" + "、".join(seeded.missing_departments)
                )
            )
