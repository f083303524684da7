"""Unit pages: the list, its export, one unit, the logged reveal of its contact phone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangjian.accounts import privacy
from dangjian.core.access import access_object, can
from dangjian.core.actions import do_reveal
from dangjian.core.listing import export_view, list_view
from dangjian.core.pages import page
from dangjian.units import selectors
from dangjian.units.lists import UNITS
from dangjian.units.models import Unit


@page("units:unit_list")
def unit_list(request: HttpRequest) -> HttpResponse:
    return list_view(request, UNITS, export_url=reverse("units:unit_export"))


@page("units:unit_list")
def unit_export(request: HttpRequest) -> FileResponse:
    return export_view(request, UNITS)


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.unit_detail(request.user, pk)
    basic = privacy.is_basic(request.user, privacy.UNITS)
    allowed = not basic and can(request.user, "reveal", detail.unit)
    return render(
        request,
        "units/unit_detail.html",
        {
            "d": detail,
            "unit": detail.unit,
            "basic": basic,
            "reveal_url": reverse("units:reveal", args=[pk]) if allowed else "",
        },
    )


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access_object(Unit, request.user, "reveal", pk=pk)
    if privacy.is_basic(request.user, privacy.UNITS):
        raise Http404("未找到或无权访问")
    value = do_reveal(unit, "contact_phone", acting_user=request.user, reason="查看单位联系电话")
    return render(request, "includes/revealed.html", {"value": value})
