"""The keys page: city administrators issue and revoke Open311 client keys."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.roles import Role
from dangjian.core.pages import page
from dangjian.interop import actions
from dangjian.interop.models import ApiKey


def is_key_admin(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or any(a.role == Role.CITY_ADMIN for a in user.active_assignments()))


def _admin_or_404(request: HttpRequest) -> Any:
    if not is_key_admin(request.user):
        raise Http404("未找到或无权访问")
    return request.user


@page("interop:keys")
@require_http_methods(["GET", "POST"])
def keys(request: HttpRequest) -> HttpResponse:
    user = _admin_or_404(request)
    issued: tuple[ApiKey, str] | None = None
    error = ""
    name = ""
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            issued = actions.issue_key(name=name, acting_user=user)
            name = ""
        except ValidationError as e:
            error = "；".join(e.messages)
    all_keys = list(ApiKey.objects.select_related("created_by"))
    context = {
        "keys": all_keys,
        "active_count": sum(1 for k in all_keys if k.active),
        "issued_key": issued[0] if issued else None,
        "raw_key": issued[1] if issued else "",
        "error": error,
        "name": name,
        "endpoint": request.build_absolute_uri(reverse("open311:discovery", args=["json"])),
    }
    response = render(request, "interop/keys.html", context, status=400 if error else 200)
    if issued:
        response["Cache-Control"] = "no-store"  # the raw key is on this page once
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin_or_404(request)
    key = get_object_or_404(ApiKey, pk=pk)
    actions.revoke_key(key, acting_user=user)
    messages.success(request, f"已吊销密钥“{key.name}”（{key.prefix}…），使用它的客户端将无法再提交诉求。")
    return redirect("interop:keys")
