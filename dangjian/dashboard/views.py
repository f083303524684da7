"""The home page: one per primary role, showing the person's work first (issue 11).

Residents and members see their own open cases and wishes and what waits for their answer;
grid, community, street and department staff see their to-do counts, each a link to the
list it counts; leaders see the five rates, the 30-day trend, rankings and alerts. The
figures come from :mod:`dangjian.dashboard.work`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from dangjian.accounts.roles import Role
from dangjian.core.pages import page
from dangjian.dashboard import selectors, work
from dangjian.territory import selectors as territory_selectors
from dangjian.territory.codes import format_code

LEADER_ROLES = {Role.CITY_ADMIN, Role.LEADER, Role.INSPECTOR}
STREET_ROLES = {Role.STREET_OFFICER, Role.STREET_CHIEF}
# Primary role → (page title, which queue tabs it counts).
STAFF_PAGES: dict[str, tuple[str, str]] = {
    Role.COMMUNITY_WORKER: ("社区工作台", "community_worker"),
    Role.STREET_OFFICER: ("街道工作台", "street"),
    Role.STREET_CHIEF: ("街长工作台", "street"),
    Role.DEPARTMENT: ("部门工作台", "department"),
    Role.UNIT_ADMIN: ("单位工作台", "unit_admin"),
}
HOTSPOTS_SHOWN = 5  # the hottest problems in scope


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _hotspots(user: Any) -> list[Any]:
    from dangjian.dispatch.selectors import hotspots_for

    return list(hotspots_for(user).order_by("-heat")[:HOTSPOTS_SHOWN])


def _unit_names(user: Any) -> list[str]:
    return [
        a.unit.name
        for a in user.active_assignments()
        if a.unit_id and a.role in (Role.DEPARTMENT, Role.UNIT_ADMIN)
    ]


@page("dashboard:home")
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    role = user.primary_role
    if role == Role.GRID_WORKER:
        return _grid(request, user)
    if role in LEADER_ROLES:
        return _leader(request, user, Role(role))
    if role in STAFF_PAGES:
        return _staff(request, user, Role(role))
    return _personal(request, user, role)


def _grid(request: HttpRequest, user: Any) -> HttpResponse:
    roots = territory_selectors.scope_roots(user)
    grid = next((n for n in roots if n.level == "grid"), roots[0] if roots else None)
    return render(
        request,
        "dashboard/home_grid.html",
        {
            "grid": grid,
            "grid_code": format_code(grid.code) if grid else "",
            "role_label": Role.GRID_WORKER.label,
            "todos": work.queue_todos(user, work.ROLE_TABS["grid_worker"]),
            "community_todos": work.community_todos(user, reviewer=False),
            "urgent": work.urgent_cases(user),
        },
    )


def _staff(request: HttpRequest, user: Any, role: Role) -> HttpResponse:
    title, tabs = STAFF_PAGES[role]
    ctx: dict[str, Any] = {
        "title": title,
        "role_label": role.label,
        "roots": territory_selectors.scope_roots(user),
        "units": _unit_names(user) if role in (Role.DEPARTMENT, Role.UNIT_ADMIN) else [],
        "todos": work.queue_todos(user, work.ROLE_TABS[tabs]),
        "community_todos": work.community_todos(user) if role == Role.COMMUNITY_WORKER else [],
        "whistles": work.street_whistles(user) if role in STREET_ROLES else None,
        "urgent": work.urgent_cases(user),
        "unit_states": work.unit_states(user) if role == Role.UNIT_ADMIN else [],
        "area": work.area_rates(user) if role in STREET_ROLES or role == Role.COMMUNITY_WORKER else None,
        "hotspots": _hotspots(user) if role in STREET_ROLES or role == Role.COMMUNITY_WORKER else None,
    }
    return render(request, "dashboard/home_staff.html", ctx)


def _leader(request: HttpRequest, user: Any, role: Role) -> HttpResponse:
    alerts = work.queue_todos(user, ("overdue", "due_soon"))
    return render(
        request,
        "dashboard/home_leader.html",
        {
            "role_label": role.label,
            "lead": work.leader(user),
            "alerts": alerts,
            "hotspots": _hotspots(user),
        },
    )


def _personal(request: HttpRequest, user: Any, role: str) -> HttpResponse:
    me = selectors.personal(user)
    return render(
        request,
        "dashboard/home_personal.html",
        {
            "me": me,
            "work": work.personal_work(user, me.member),
            "role_label": Role(role).label if not me.member else Role.MEMBER.label,
            "me_url": _url_or_none("people:me"),
        },
    )
