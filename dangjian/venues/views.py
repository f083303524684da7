"""Service-position pages: the list, its export and one position."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangjian.core.access import access_object
from dangjian.core.listing import export_view, list_view
from dangjian.core.pages import page
from dangjian.venues.lists import POSITIONS
from dangjian.venues.models import ServicePosition


@page("venues:position_list")
def position_list(request: HttpRequest) -> HttpResponse:
    return list_view(request, POSITIONS, export_url=reverse("venues:position_export"))


@page("venues:position_list")
def position_export(request: HttpRequest) -> FileResponse:
    return export_view(request, POSITIONS)


@login_required
def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    position = access_object(
        ServicePosition.objects.select_related("node", "unit", "street", "community", "grid"),
        request.user,
        pk=pk,
    )
    return render(request, "venues/position_detail.html", {"p": position, "check": position.area_check()})
