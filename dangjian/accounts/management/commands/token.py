"""API tokens from the console.

python manage.py token create PHONE NAME    print a new token (shown once)
python manage.py token revoke PREFIX        revoke the live token(s) starting with PREFIX
python manage.py token list [PHONE]         list tokens (prefix, owner, last use)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.accounts import actions
from dangjian.accounts.models import ApiToken, User
from dangjian.core import crypto


def _user_by_phone(phone: str) -> User:
    try:
        return User.objects.get(phone_hash=crypto.lookup_hash("phone", phone))
    except User.DoesNotExist as exc:
        raise CommandError(f"没有手机号为 {phone} 的用户") from exc


class Command(BaseCommand):
    help = "管理 API 令牌：create PHONE NAME / revoke PREFIX / list [PHONE]"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="op", required=True)
        create = sub.add_parser("create", help="为用户新建令牌并打印（只显示一次）")
        create.add_argument("phone")
        create.add_argument("name")
        revoke = sub.add_parser("revoke", help="按前缀吊销令牌")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="列出令牌")
        listing.add_argument("phone", nargs="?")

    def handle(self, *args: Any, **opts: Any) -> None:
        op = opts["op"]
        if op == "create":
            user = _user_by_phone(opts["phone"])
            if not user.is_active:
                raise CommandError("该用户已停用")
            name = opts["name"].strip()
            if not name:
                raise CommandError("令牌名称不能为空")
            _token, raw = actions.issue_token(user=user, name=name[:60], acting_user=None)
            self.stdout.write(raw)
        elif op == "revoke":
            prefix = opts["prefix"].removeprefix("dj_")[:6]
            if len(prefix) < 4:
                raise CommandError("请至少给出令牌的前 4 位")
            tokens = list(ApiToken.objects.filter(prefix__startswith=prefix, revoked_at__isnull=True))
            if not tokens:
                raise CommandError(f"没有以 {prefix} 开头的有效令牌")
            if len(tokens) > 1:
                raise CommandError(f"前缀 {prefix} 匹配到 {len(tokens)} 个令牌，请给出更长的前缀")
            actions.revoke_token(tokens[0], acting_user=None)
            self.stdout.write(f"已吊销令牌 {tokens[0]}")
        else:
            qs = ApiToken.objects.select_related("user").order_by("-created_at")
            if opts.get("phone"):
                qs = qs.filter(user=_user_by_phone(opts["phone"]))
            for t in qs:
                state = "已吊销" if t.revoked_at else "有效"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "从未使用"
                self.stdout.write(f"{t.prefix}  {state}  {t.user}  {t.name}  {used}")
