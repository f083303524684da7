"""``dangjian apikey create NAME`` | ``apikey revoke PREFIX`` | ``apikey list``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.interop import actions
from dangjian.interop.models import ApiKey


class Command(BaseCommand):
    help = "签发、吊销、列出 Open311 接口密钥（密钥只在签发时显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="签发一个新密钥并打印")
        create.add_argument("name", help="客户端名称")
        revoke = sub.add_parser("revoke", help="按前缀吊销密钥")
        revoke.add_argument("prefix", help="密钥前缀（o311_ 之后的 8 个字符）")
        sub.add_parser("list", help="列出全部密钥")

    def handle(self, *args: Any, verb: str, **options: Any) -> None:
        if verb == "create":
            try:
                key, raw = actions.issue_key(name=options["name"], acting_user=None)
            except ValidationError as e:
                raise CommandError("；".join(e.messages)) from e
            self.stdout.write(raw)
            self.stderr.write(f"已签发“{key.name}”（前缀 {key.prefix}）。密钥只显示这一次，请妥善保存。")
        elif verb == "revoke":
            prefix = options["prefix"].removeprefix("o311_")[:8]
            found = ApiKey.objects.filter(prefix=prefix).first()
            if found is None:
                raise CommandError(f"没有前缀为 {prefix} 的密钥")
            already = found.revoked_at is not None
            actions.revoke_key(found, acting_user=None)
            self.stdout.write(f"{'已是吊销状态' if already else '已吊销'}：{found.name}（{prefix}）")
        else:
            keys = list(ApiKey.objects.all())
            if not keys:
                self.stdout.write("还没有密钥。用 dangjian apikey create 名称 签发。")
            for k in keys:
                state = f"已吊销 {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "有效"
                used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "从未使用"
                self.stdout.write(f"{k.prefix}\t{k.name}\t{state}\t最近使用 {used}")
