"""The menu: one list, filtered by what the user is. Permission logic stays out of templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from dangjian.accounts.roles import STAFF_ROLES


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    staff_only: bool = True
    roles: frozenset[str] = frozenset()  # when set, only these roles (and superusers) see it


NAV = [
    NavItem("首页", "dashboard:home", "house", staff_only=False),
    NavItem("有话想说", "appeals:report", "chat-dots", staff_only=False),
    NavItem("我的诉求", "appeals:mine", "card-checklist", staff_only=False),
    NavItem("诉求办理", "appeals:queue", "inboxes"),
    NavItem("诉求统计", "appeals:figures", "bar-chart-line"),
    NavItem("热点问题", "dispatch:hotspots", "fire"),
    NavItem("心愿墙", "needs:wall", "balloon-heart", staff_only=False),
    NavItem("我的心愿", "needs:mine", "heart", staff_only=False),
    NavItem("心愿办理", "needs:queue", "clipboard-heart"),
    NavItem("工委清单", "needs:ledger", "journal-text"),
    NavItem("双报到", "service:mine", "flag", staff_only=False),
    NavItem("报到确认与核实", "service:queue", "check2-square"),
    NavItem("回单位反馈", "service:report", "send-check"),
    NavItem("双报到统计", "service:figures", "bar-chart-steps"),
    NavItem("我的积分", "points:mine", "star", staff_only=False),
    NavItem("爱心超市", "points:shop", "shop", staff_only=False),
    NavItem("积分奖励与冲正", "points:desk", "award"),
    NavItem("爱心超市管理", "points:counter", "upc-scan"),
    NavItem("积分统计", "points:figures", "graph-up-arrow"),
    NavItem("12345 工单导入", "appeals:hotline_import", "telephone-inbound"),
    NavItem("区域网格", "territory:browser", "map"),
    NavItem("党组织", "party:org_tree", "diagram-3"),
    NavItem("党员", "party:member_list", "person-badge"),
    NavItem("居民", "people:resident_list", "people"),
    NavItem("网格员", "people:grid_worker_list", "person-walking"),
    NavItem("社区工作者", "people:community_worker_list", "person-workspace"),
    NavItem("驻区单位", "units:unit_list", "buildings"),
    NavItem("服务阵地", "venues:position_list", "house-heart"),
    NavItem("数据导入", "exchange:import", "upload"),
    NavItem("接口密钥", "interop:keys", "key", roles=frozenset({"city_admin"})),
    NavItem("消息", "notifications:inbox", "bell", staff_only=False),
    NavItem("我的档案", "people:me", "person-circle", staff_only=False),
]


def menu_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    is_staff_role = user.is_superuser or any(r in STAFF_ROLES for r in user.roles)
    items = []
    for item in NAV:
        if item.staff_only and not is_staff_role:
            continue
        if item.roles and not (user.is_superuser or item.roles & set(user.roles)):
            continue
        if not item.staff_only and item.url_name == "people:me" and is_staff_role and not user.person_id:
            continue
        try:
            items.append(
                {"label": item.label, "url": reverse(item.url_name), "icon": item.icon, "name": item.url_name}
            )
        except NoReverseMatch:
            continue
    return items
