"""People pages: the resident and worker lists, one person's record, one's own record
(``me``) and the logged reveal of a protected value."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangjian.accounts import privacy
from dangjian.core.access import access_object
from dangjian.core.actions import do_reveal
from dangjian.core.listing import export_view, is_staff_user, list_view
from dangjian.core.pages import page
from dangjian.people import selectors
from dangjian.people.lists import COMMUNITY_WORKERS, GRID_WORKERS, RESIDENTS
from dangjian.people.models import Person


@page("people:resident_list")
def resident_list(request: HttpRequest) -> HttpResponse:
    return list_view(request, RESIDENTS, export_url=reverse("people:resident_export"))


@page("people:resident_list")
def resident_export(request: HttpRequest) -> FileResponse:
    return export_view(request, RESIDENTS)


@page("people:grid_worker_list")
def grid_worker_list(request: HttpRequest) -> HttpResponse:
    return list_view(request, GRID_WORKERS, export_url=reverse("people:grid_worker_export"))


@page("people:grid_worker_list")
def grid_worker_export(request: HttpRequest) -> FileResponse:
    return export_view(request, GRID_WORKERS)


@page("people:community_worker_list")
def community_worker_list(request: HttpRequest) -> HttpResponse:
    return list_view(request, COMMUNITY_WORKERS, export_url=reverse("people:community_worker_export"))


@page("people:community_worker_list")
def community_worker_export(request: HttpRequest) -> FileResponse:
    return export_view(request, COMMUNITY_WORKERS)


def _person_page(request: HttpRequest, person: Person, template: str) -> HttpResponse:
    basic = selectors.is_basic(request.user, person)
    allowed = not basic and selectors.reveal_allowed(request.user, person)
    return render(
        request,
        template,
        {
            "person": person,
            "basic": basic,
            "roles": selectors.roles_of(person, request.user),
            "reveal_url": reverse("people:reveal", args=[person.pk]) if allowed else "",
            "is_staff_user": is_staff_user(request.user),
            "residents_open": is_staff_user(request.user)
            and privacy.register_access(request.user, privacy.RESIDENTS).open,
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, selectors.person_for(request.user, pk), "people/person_detail.html")


@page("people:me")
def me(request: HttpRequest) -> HttpResponse:
    """One's own record. Staff accounts without a person record have none (404)."""
    person_id = getattr(request.user, "person_id", None)
    if not person_id:
        raise Http404("您的账号未关联人员档案")
    return _person_page(request, selectors.person_for(request.user, person_id), "people/me.html")


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Swap a masked value for the plain one (htmx). Outside the reveal scope, or under a
    cell reading basic fields only: 404; logged."""
    field = request.POST.get("field", "")
    if field not in selectors.REVEALABLE:
        return HttpResponseBadRequest("不支持查看该字段".encode())
    person = access_object(Person, request.user, "reveal", pk=pk)
    if selectors.is_basic(request.user, person):
        raise Http404("未找到或无权访问")
    value = do_reveal(person, field, acting_user=request.user, reason=f"查看{selectors.REVEALABLE[field]}")
    return render(request, "includes/revealed.html", {"value": value})
