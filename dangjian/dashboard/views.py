"""The home page: one per primary role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from dangjian.accounts.roles import Role
from dangjian.core.pages import page
from dangjian.dashboard import selectors
from dangjian.territory.codes import format_code

# Which template each primary role lands on, and the page title.
STAFF_TITLES = {
    Role.CITY_ADMIN: "全域概览",
    Role.LEADER: "全域概览",
    Role.STREET_OFFICER: "街道概览",
    Role.STREET_CHIEF: "街道概览",
    Role.COMMUNITY_WORKER: "社区概览",
    Role.DEPARTMENT: "辖区概览",
    Role.INSPECTOR: "辖区概览",
    Role.UNIT_ADMIN: "辖区概览",
}


HOTSPOTS_SHOWN = 5  # the hottest problems in scope, on the staff home page


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@page("dashboard:home")
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = user.primary_role  # type: ignore[union-attr]
    if role == Role.GRID_WORKER:
        ov = selectors.overview(user, by="compound")
        grid = next((n for n in ov.roots if n.level == "grid"), ov.roots[0] if ov.roots else None)
        return render(
            request,
            "dashboard/home_grid.html",
            {
                "ov": ov,
                "grid": grid,
                "grid_code": format_code(grid.code) if grid else "",
                "role_label": Role(role).label,
            },
        )
    if role in STAFF_TITLES:
        from dangjian.dispatch.selectors import hotspots_for

        ov = selectors.overview(user)
        return render(
            request,
            "dashboard/home_staff.html",
            {
                "ov": ov,
                "title": STAFF_TITLES[Role(role)],
                "role_label": Role(role).label,
                "chart": selectors.chart_data(ov),
                "hotspots": list(hotspots_for(user).order_by("-heat")[:HOTSPOTS_SHOWN]),
            },
        )
    me = selectors.personal(user)
    return render(
        request,
        "dashboard/home_personal.html",
        {
            "me": me,
            "role_label": Role(role).label if not me.member else Role.MEMBER.label,
            "me_url": _url_or_none("people:me"),
        },
    )
