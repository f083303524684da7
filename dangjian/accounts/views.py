"""Log-in by phone number and password, with throttling of failed attempts; log-out."""

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

from dangjian.accounts import actions
from dangjian.accounts.forms import LoginForm

BAD_CREDENTIALS = "手机号或密码错误"


def _client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded header is client-controlled unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR") or None


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard:home")


def throttled_message() -> str:
    minutes = max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
    return f"登录失败次数过多，请 {minutes} 分钟后再试"


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
        phone = form.cleaned_data["phone"]
        ip = _client_ip(request)
        if actions.login_blocked(phone=phone, ip=ip):
            form.add_error(None, throttled_message())
            status = 429
        else:
            user = authenticate(request, phone=phone, password=form.cleaned_data["password"])
            if user is None:
                actions.record_login_failure(phone=phone, ip=ip)
                form.add_error(None, BAD_CREDENTIALS)
            else:
                actions.clear_login_failures(phone=phone)
                login(request, user)
                return redirect(_safe_next(request))
    next_value = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "accounts/login.html", {"form": form, "next": next_value}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)
