"""The pages of the site and who may open them: one table, read by the menu, the views and the API.

Each ``Page`` names a URL, its Chinese label and icon, the menu group it belongs to (what the
person does there: 办事 / 办理 / 统计 / 管理 / 我的) and an ``allow(user)`` rule built from the
roles of ``accounts/roles.py`` (and, for the people registers, ``accounts/privacy.py``'s
``register_access``: a closed register is neither in the menu nor openable). ``menu(user)``
narrows the menu further for a page that may be opened but is not worth a menu entry for
that user (the page is still reachable by its links).

- Views: ``@page("app:name")`` logs the user in and answers 404 (missing and forbidden look
  alike) when ``allow`` says no. Object-level scoping stays in the view.
- API: ``require_page(user, "app:name")`` at the top of an endpoint.
- Menu: ``menu_for(user)`` (the context processor) lists only allowed pages, so a menu never
  offers a page that answers 403/404; ``core/tests/test_menu_walk.py`` proves it per role.

Adding a page: add a row to ``PAGES`` (or, for an htmx partial, a POST-only action, a file
download …, its url name to ``NOT_PAGES``), decorate the view with ``@page``; the tests
``test_pages_table.py`` fail until both are done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from dangjian.accounts import privacy
from dangjian.accounts.roles import ROLE_ACTIONS, STAFF_ROLES, Role

Rule = Callable[[Any], bool]
V = TypeVar("V", bound=Callable[..., Any])

# --- rules -----------------------------------------------------------------------------------


def _roles(user: Any) -> set[str]:
    return set(user.roles)


def anyone(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def has_person(user: Any) -> bool:
    """Pages about the user's own record (points, profile) need a person behind the account."""
    return anyone(user) and user.person_id is not None


def staff(user: Any) -> bool:
    """Anyone holding a staff role (departments and unit liaisons included)."""
    return anyone(user) and bool(user.is_superuser or _roles(user) & STAFF_ROLES)


def roles(*names: str) -> Rule:
    wanted = {str(n) for n in names}

    def rule(user: Any) -> bool:
        return anyone(user) and bool(user.is_superuser or _roles(user) & wanted)

    rule.__name__ = "roles(" + ",".join(sorted(wanted)) + ")"
    return rule


def adds(user: Any) -> bool:
    """Staff who may add records somewhere in their part of the tree (imports, awards)."""
    if not anyone(user):
        return False
    return bool(user.is_superuser or any("add" in ROLE_ACTIONS[r] for r in _roles(user) & STAFF_ROLES))


def register(name: str) -> Rule:
    def rule(user: Any) -> bool:
        return privacy.register_access(user, name).open

    rule.__name__ = f"register({name})"
    return rule


def citizen(user: Any) -> bool:
    """Residents and party members: no staff role at all."""
    return anyone(user) and not user.is_superuser and not (_roles(user) & STAFF_ROLES)


def both(*rules: Rule) -> Rule:
    def rule(user: Any) -> bool:
        return all(r(user) for r in rules)

    return rule


# Roles that handle cases, wishes and registrations (the leader and the inspector steer and
# supervise by figures; their menu skips the work queues they may still open from a link).
HANDLERS = roles(
    Role.CITY_ADMIN,
    Role.STREET_OFFICER,
    Role.STREET_CHIEF,
    Role.COMMUNITY_WORKER,
    Role.GRID_WORKER,
    Role.DEPARTMENT,
    Role.UNIT_ADMIN,
)
# Roles that run a territory (streets, communities, grids): wishes, service, points desks.
TERRITORY_HANDLERS = roles(
    Role.CITY_ADMIN, Role.STREET_OFFICER, Role.STREET_CHIEF, Role.COMMUNITY_WORKER, Role.GRID_WORKER
)
# Everyone who reads the tree by territory (not departments and unit liaisons).
TERRITORY_STAFF = roles(
    Role.CITY_ADMIN,
    Role.LEADER,
    Role.STREET_OFFICER,
    Role.STREET_CHIEF,
    Role.COMMUNITY_WORKER,
    Role.GRID_WORKER,
    Role.INSPECTOR,
)
CITY_ADMIN = roles(Role.CITY_ADMIN)
# People with a record of their own who act as citizens (residents, members, grid workers).
OWN = has_person


# --- the table -------------------------------------------------------------------------------

HOME, DO, HANDLE, FIGURES, MANAGE, MINE = "", "办事", "办理", "统计", "管理", "我的"
GROUPS: tuple[str, ...] = (HOME, DO, HANDLE, FIGURES, MANAGE, MINE)
GROUP_ICONS = {DO: "hand-index", HANDLE: "inboxes", FIGURES: "bar-chart-line", MANAGE: "gear", MINE: "person"}


@dataclass(frozen=True)
class Page:
    name: str  # the url name, "app:name"
    label: str
    icon: str  # a bootstrap-icons name, without "bi-"
    group: str
    allow: Rule
    menu: Rule | None = None  # None: in the menu whenever allowed
    short: str = ""  # the label on the phone's bottom tab bar

    def in_menu(self, user: Any) -> bool:
        return self.allow(user) and (self.menu is None or self.menu(user))


P = Page
PAGES: tuple[Page, ...] = (
    P("dashboard:home", "首页", "house", HOME, anyone, short="首页"),
    # 办事: what a resident, member or grid worker does as a citizen
    P("appeals:report", "有话想说", "chat-dots", DO, anyone, short="反映"),
    P("appeals:report_enterprise", "服务企业马上办", "briefcase", DO, anyone, menu=lambda u: False),
    P("appeals:mine", "我的诉求", "card-checklist", DO, anyone),
    P("needs:wall", "心愿墙", "balloon-heart", DO, anyone, short="心愿"),
    P("needs:new", "许个心愿", "plus-circle", DO, anyone, menu=lambda u: False),
    P("needs:mine", "我的心愿", "heart", DO, anyone, menu=OWN),
    P("service:mine", "双报到", "flag", DO, anyone, menu=OWN),
    P("service:posts", "服务岗位", "signpost-2", DO, anyone, menu=lambda u: False),
    # 办理: the work queues
    P("appeals:queue", "诉求办理", "inboxes", HANDLE, staff, menu=HANDLERS, short="办件"),
    P("appeals:hotline_import", "12345 工单导入", "telephone-inbound", HANDLE, adds),
    P("dispatch:hotspots", "热点问题", "fire", HANDLE, staff),
    P("needs:queue", "心愿办理", "clipboard-heart", HANDLE, staff, menu=TERRITORY_HANDLERS),
    P("needs:campaign", "心愿认领活动", "megaphone", HANDLE, staff, menu=lambda u: False),
    P("needs:ledger", "工委清单", "journal-text", HANDLE, staff, menu=TERRITORY_STAFF),
    P("service:queue", "报到确认与核实", "check2-square", HANDLE, staff, menu=TERRITORY_HANDLERS),
    P("service:report", "回单位反馈", "send-check", HANDLE, staff, menu=HANDLERS),
    P("service:teams", "志愿服务队", "people-fill", HANDLE, anyone, menu=lambda u: False),
    P("points:desk", "积分奖励与冲正", "award", HANDLE, staff, menu=TERRITORY_HANDLERS),
    P("points:counter", "爱心超市管理", "upc-scan", HANDLE, staff, menu=TERRITORY_HANDLERS),
    # 统计
    P("appeals:figures", "诉求统计", "bar-chart-line", FIGURES, staff),
    P("appeals:figures_departments", "部门排名", "trophy", FIGURES, staff, menu=lambda u: False),
    P("service:figures", "双报到统计", "bar-chart-steps", FIGURES, staff),
    P("points:figures", "积分统计", "graph-up-arrow", FIGURES, staff, menu=TERRITORY_STAFF),
    # 管理: the registers and the platform's settings
    P("territory:browser", "区域网格", "map", MANAGE, anyone, menu=TERRITORY_STAFF),
    P("party:org_tree", "党组织", "diagram-3", MANAGE, staff, menu=TERRITORY_STAFF),
    P("party:member_list", "党员", "person-badge", MANAGE, both(staff, register(privacy.MEMBERS))),
    P("people:resident_list", "居民", "people", MANAGE, both(staff, register(privacy.RESIDENTS))),
    P(
        "people:grid_worker_list",
        "网格员",
        "person-walking",
        MANAGE,
        both(staff, register(privacy.GRID_WORKERS)),
    ),
    P(
        "people:community_worker_list",
        "社区工作者",
        "person-workspace",
        MANAGE,
        both(staff, register(privacy.COMMUNITY_WORKERS)),
    ),
    P("units:unit_list", "驻区单位", "buildings", MANAGE, both(staff, register(privacy.UNITS))),
    P("venues:position_list", "服务阵地", "house-heart", MANAGE, staff, menu=TERRITORY_STAFF),
    P("exchange:import", "数据导入", "upload", MANAGE, adds),
    P(
        "appeals:street_tasks",
        "街长任务清单",
        "list-task",
        MANAGE,
        roles(Role.STREET_OFFICER, Role.STREET_CHIEF),
    ),
    P("dispatch:rules", "分派规则", "signpost-split", MANAGE, CITY_ADMIN),
    P("interop:keys", "接口密钥", "key", MANAGE, CITY_ADMIN),
    # 我的
    P("points:mine", "我的积分", "star", MINE, has_person, short="积分"),
    P("points:shop", "爱心超市", "shop", MINE, has_person),
    P("points:timebank", "时间银行", "hourglass-split", MINE, has_person, menu=lambda u: False),
    P("points:statement", "积分对账单", "receipt", MINE, anyone, menu=lambda u: False),
    P("points:rules", "积分规则", "info-circle", MINE, anyone, menu=lambda u: False),
    P("notifications:inbox", "消息", "bell", MINE, anyone, short="消息"),
    P("notifications:preferences", "消息设置", "sliders", MINE, anyone, menu=lambda u: False),
    P("people:me", "我的档案", "person-circle", MINE, has_person, short="我的"),
)
PAGES_BY_NAME: dict[str, Page] = {p.name: p for p in PAGES}

# URL names of views that are not pages of their own: htmx partials, POST-only actions,
# detail pages reached from a list (scoped per object), downloads and public endpoints.
# test_pages_table.py fails on a staff view that is in neither list.
NOT_PAGES: frozenset[str] = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        # appeals: the resident side's partials and per-object pages
        "appeals:categories",
        "appeals:report_grids",
        "appeals:nearby",
        "appeals:submitted",
        "appeals:track",
        "appeals:rate",
        "appeals:public_case",
        "appeals:follow",
        "appeals:photo",
        # appeals: one case and its actions (scoped per case), hotline downloads and jobs
        "appeals:case",
        "appeals:case_action",
        "appeals:case_reveal",
        "appeals:case_send_link",
        "appeals:hotline_template",
        "appeals:hotline_job",
        "dispatch:apply",
        "dispatch:override",
        "dispatch:merge",
        "exchange:template",
        "exchange:job",
        "interop:revoke",
        "needs:wall_of",
        "needs:ledger_export",
        "needs:detail",
        "needs:act",
        "needs:photo",
        "notifications:open",
        "notifications:mark_read",
        "notifications:mark_all_read",
        "party:org_export",
        "party:org_detail",
        "party:member_export",
        "party:member_detail",
        "people:resident_export",
        "people:grid_worker_export",
        "people:community_worker_export",
        "people:person_detail",
        "people:reveal",
        "points:redeem",
        "points:cancel",
        "points:statement_xlsx",
        "points:award",
        "points:reverse",
        "points:pickup",
        "points:item_add",
        "points:item_restock",
        "points:day_add",
        "service:register",
        "service:end_registration",
        "service:post_new",
        "service:claim",
        "service:rota",
        "service:rota_generate",
        "service:release",
        "service:record_new",
        "service:photo",
        "service:decide",
        "service:unit",
        "service:activity_fire",
        "territory:grids_geojson",
        "territory:locate",
        "territory:node_detail",
        "territory:children",
        "units:unit_export",
        "units:unit_detail",
        "units:reveal",
        "venues:position_export",
        "venues:position_detail",
    }
)


def allowed(user: Any, name: str) -> bool:
    return PAGES_BY_NAME[name].allow(user)


def require_page(user: Any, name: str) -> None:
    """For API endpoints and views that cannot take the decorator: 404 unless allowed."""
    if not allowed(user, name):
        raise Http404("未找到或无权访问")


def page(name: str) -> Callable[[V], V]:
    """``@page("app:name")``: login required, then 404 unless the table allows the user."""
    entry = PAGES_BY_NAME[name]  # a typo fails at import time

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not entry.allow(request.user):
                raise Http404("未找到或无权访问")
            return view(request, *args, **kwargs)

        wrapper.page_name = name  # type: ignore[attr-defined]
        return login_required(wrapper)  # type: ignore[return-value]

    return decorator


# --- the menu --------------------------------------------------------------------------------

# The phone's bottom tab bar (below md): 4–5 entries for the people who work on foot.
CITIZEN_TABS = ("dashboard:home", "appeals:report", "needs:wall", "points:mine", "people:me")
GRID_TABS = ("dashboard:home", "appeals:queue", "appeals:report", "needs:wall", "notifications:inbox")


SHORT_MENU = 12  # a menu this short is shown unfolded on a phone too


def _item(p: Page) -> dict[str, Any] | None:
    try:
        url = reverse(p.name)
    except NoReverseMatch:
        return None
    return {"label": p.label, "url": url, "icon": p.icon, "name": p.name, "short": p.short or p.label}


def menu_for(user: Any) -> list[dict[str, Any]]:
    """The user's menu entries, flat, in table order."""
    if not anyone(user):
        return []
    return [item for p in PAGES if p.in_menu(user) and (item := _item(p)) is not None]


def mark_active(items: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    """Mark the entry of the page at ``path``: the exact URL, else the longest one it starts with."""
    candidates = [i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))]
    best = max(candidates, key=lambda i: len(i["url"]), default=None)
    return [{**i, "active": i is best} for i in items]


def menu_groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``menu_for``'s entries grouped: [{"label": "办理", "icon": …, "items": […], "open": …}].

    On a phone a group is folded unless it holds the current page, or the whole menu is short.
    """
    by_group: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_group.setdefault(PAGES_BY_NAME[item["name"]].group, []).append(item)
    short = len(items) <= SHORT_MENU
    return [
        {
            "label": g,
            "icon": GROUP_ICONS.get(g, "house"),
            "key": f"nav-group-{i}",
            "items": by_group[g],
            "open": short or not g or any(item.get("active") for item in by_group[g]),
        }
        for i, g in enumerate(GROUPS)
        if g in by_group
    ]


def tabs_for(user: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bottom tab bar of residents, members and grid workers (empty for everyone else)."""
    if not anyone(user):
        return []
    if citizen(user):
        names = CITIZEN_TABS
    elif set(user.roles) == {Role.GRID_WORKER}:
        names = GRID_TABS
    else:
        return []
    by_name = {item["name"]: item for item in items}
    return [by_name[n] for n in names if n in by_name]
