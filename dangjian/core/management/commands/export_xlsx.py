"""``python manage.py export_xlsx KIND [-o FILE] [--as PHONE] [--street CODE] [--filter k=v]``
(alias ``dangjian export KIND``): write a list as .xlsx with the same spec and filtering as
the list page, so the file equals what that screen shows. With ``--as`` the user's cell of
the least-privilege table (``accounts.privacy``) applies: only a cell that may export, and
only its columns."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from dangjian.core.listing import ListSpec, export_filename, export_spec, filtered, write_xlsx


def specs() -> dict[str, ListSpec]:
    from dangjian.party.lists import MEMBERS, ORGANIZATIONS
    from dangjian.people.lists import COMMUNITY_WORKERS, GRID_WORKERS, RESIDENTS
    from dangjian.units.lists import UNITS
    from dangjian.venues.lists import POSITIONS

    all_specs = (MEMBERS, RESIDENTS, GRID_WORKERS, COMMUNITY_WORKERS, UNITS, POSITIONS, ORGANIZATIONS)
    return {s.key: s for s in all_specs}


KINDS = ("members", "residents", "grid_workers", "community_workers", "units", "positions", "organizations")


class Command(BaseCommand):
    help = "导出列表为 Excel（.xlsx）：与列表页相同的列与筛选条件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="导出内容")
        parser.add_argument("-o", "--output", help="输出文件（默认：<名称>_<日期>.xlsx）")
        parser.add_argument("--as", dest="as_phone", help="以该手机号用户的可见范围导出（默认：全部数据）")
        parser.add_argument("--street", help="街道编码")
        parser.add_argument("--community", help="社区编码")
        parser.add_argument("--grid", help="网格编码")
        parser.add_argument("-q", "--search", dest="q", default="", help="关键词")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="列表筛选条件，如 --filter status=full --filter category=retired",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from dangjian.accounts.models import User
        from dangjian.territory.models import Node

        spec = specs()[opts["kind"]]
        user = None
        if opts["as_phone"]:
            try:
                user = User.objects.get_by_natural_key(opts["as_phone"])
            except User.DoesNotExist as exc:
                raise CommandError(f"未找到手机号为 {opts['as_phone']} 的用户") from exc
            try:
                spec = export_spec(spec, user)
            except (Http404, PermissionDenied) as exc:
                raise CommandError(f"该用户的角色无权导出{spec.title}") from exc
        params: dict[str, str] = {"q": opts["q"]}
        for level in ("street", "community", "grid"):
            code = opts[level]
            if code:
                node = Node.objects.filter(code=code, level=level).first()
                if node is None:
                    raise CommandError(
                        f"未找到编码为 {code} 的{dict(street='街道', community='社区', grid='网格')[level]}"
                    )
                params[level] = str(node.pk)
        known = {f.param for f in spec.filters}
        for item in opts["filter"]:
            key, sep, value = item.partition("=")
            if not sep or key not in known:
                raise CommandError(f"筛选条件 {item!r} 无效，可用：" + "、".join(sorted(known)))
            params[key] = value
        listing = filtered(spec, user, params)
        if listing.errors:
            raise CommandError("；".join(listing.errors))
        output = opts["output"] or export_filename(spec)
        count = write_xlsx(spec, listing.queryset, output)
        self.stdout.write(self.style.SUCCESS(f"已导出{spec.title} {count} 条 → {output}"))
