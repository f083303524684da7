"""Log-in by phone number and password (throttled in ``accounts.backends``); log-out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts.backends import blocked_for, throttled_message
from dangjian.accounts.forms import LoginForm

BAD_CREDENTIALS = "手机号或密码错误"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard:home")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, phone=form.cleaned_data["phone"], password=form.cleaned_data["password"])
        if user is not None:
            login(request, user)
            return redirect(_safe_next(request))
        wait = blocked_for(request)
        if wait:
            form.add_error(None, throttled_message(wait))
            status = 429
        else:
            form.add_error(None, BAD_CREDENTIALS)
    next_value = request.POST.get("next") or request.GET.get("next") or ""
    response = render(request, "accounts/login.html", {"form": form, "next": next_value}, status=status)
    if status == 429:
        response["Retry-After"] = str(blocked_for(request))
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
