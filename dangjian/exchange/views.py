"""The import page, template downloads and job status (polled with htmx)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core.pages import page
from dangjian.exchange import actions
from dangjian.exchange.forms import ImportForm
from dangjian.exchange.importers import KINDS, KINDS_BY_KEY
from dangjian.exchange.models import ImportJob
from dangjian.exchange.templates_xlsx import ALL, build_template, template_filename

RECENT_JOBS = 10
MAX_SHOWN_PROBLEMS = 1000
KIND_NAMES = {k.key: k.sheet for k in KINDS}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_import(user: Any) -> bool:
    """Staff who may add records somewhere in the tree."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or any("add" in a.actions for a in user.scope_assignments()))


def _importer_or_404(request: HttpRequest) -> Any:
    if not can_import(request.user):
        raise Http404("未找到或无权访问")
    return request.user


@page("exchange:import")
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    user = _importer_or_404(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = actions.start_import(upload=upload, original_name=upload.name, acting_user=user)
        return redirect("exchange:job", pk=job.pk)
    jobs = list(
        ImportJob.objects.filter(user=user).only(
            "id", "original_name", "status", "kinds", "total_rows", "processed_rows", "created_at"
        )[:RECENT_JOBS]
    )
    for job in jobs:
        job.kind_names = [KIND_NAMES.get(k, k) for k in job.kinds]  # type: ignore[attr-defined]
    return render(
        request,
        "exchange/import.html",
        {"form": form, "kinds": KINDS, "jobs": jobs},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    _importer_or_404(request)
    if kind != ALL and kind not in KINDS_BY_KEY:
        raise Http404("没有这种导入模板")
    response = HttpResponse(build_template(kind), content_type=XLSX)
    name = template_filename(kind)
    response["Content-Disposition"] = (
        f"attachment; filename=\"template.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@login_required
@require_GET
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _importer_or_404(request)
    job = ImportJob.objects.filter(pk=pk, user=user).first()
    if job is None:
        raise Http404("未找到或无权访问")
    problems = job.errors or []
    context = {
        "job": job,
        "problems": problems[:MAX_SHOWN_PROBLEMS],
        "hidden_problems": max(0, len(problems) - MAX_SHOWN_PROBLEMS),
        "kind_names": [KIND_NAMES.get(k, k) for k in job.kinds],
    }
    if request.headers.get("HX-Request"):
        return render(request, "exchange/_job_status.html", context)
    return render(request, "exchange/job.html", context)
