"""Party pages: the organisation tree, organisation and member details, the member list."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangjian.accounts import privacy
from dangjian.core.access import can
from dangjian.core.listing import export_view, list_view
from dangjian.core.pages import page
from dangjian.party import selectors
from dangjian.party.choices import AllianceKind
from dangjian.party.lists import MEMBERS, ORGANIZATIONS


@page("party:org_tree")
def org_tree(request: HttpRequest) -> HttpResponse:
    roots = selectors.org_tree(request.user)
    alliances_by_kind: dict[str, list] = defaultdict(list)
    for alliance in selectors.visible_alliances(request.user):
        alliances_by_kind[alliance.kind].append(alliance)
    alliance_groups = [
        (kind.label, kind.value, alliances_by_kind[kind.value])
        for kind in AllianceKind
        if alliances_by_kind[kind.value]
    ]
    return render(
        request,
        "party/org_tree.html",
        {
            "roots": roots,
            "org_count": _count(roots),
            "member_count": sum(r.total for r in roots),
            "alliance_groups": alliance_groups,
            "export_url": reverse("party:org_export"),
        },
    )


def _count(nodes: list[selectors.OrgNode]) -> int:
    return sum(1 + _count(n.children) for n in nodes)


@login_required
def org_export(request: HttpRequest) -> FileResponse:
    return export_view(request, ORGANIZATIONS)


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.org_detail(request.user, pk)
    return render(request, "party/org_detail.html", {"d": detail, "org": detail.org})


@page("party:member_list")
def member_list(request: HttpRequest) -> HttpResponse:
    return list_view(request, MEMBERS, export_url=reverse("party:member_export"))


@page("party:member_list")
def member_export(request: HttpRequest) -> FileResponse:
    return export_view(request, MEMBERS)


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_detail(request.user, pk)
    person = member.person
    basic = privacy.is_basic(request.user, privacy.MEMBERS, member)
    return render(
        request,
        "party/member_detail.html",
        {
            "member": member,
            "person": person,
            "basic": basic,
            "transfers": [] if basic else selectors.member_transfers(member),
            "reveal_url": reverse("people:reveal", args=[person.pk])
            if not basic and can(request.user, "reveal", person)
            else "",
        },
    )
