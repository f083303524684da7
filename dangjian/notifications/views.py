"""The notification centre: the inbox (mark read one/all with htmx) and the preferences page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dangjian.core.pages import page
from dangjian.notifications import actions, selectors
from dangjian.notifications import channels as ch
from dangjian.notifications.choices import Mode
from dangjian.notifications.forms import PreferenceForm
from dangjian.notifications.models import Notification

PAGE_SIZE = 30


def _own(request: HttpRequest, pk: int) -> Notification:
    notification = selectors.inbox(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404("未找到或无权访问")
    return notification


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@page("notifications:inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(selectors.inbox(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread_only": unread_only, "unread_total": selectors.unread_count(request.user)},
    )


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = _own(request, pk)
    actions.mark_read(request.user, [notification.pk])
    return redirect(notification.url or "notifications:inbox")


@login_required
@require_POST
def mark_one_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _own(request, pk)
    actions.mark_read(request.user, [notification.pk])
    if _is_htmx(request):
        notification.refresh_from_db()
        return render(request, "notifications/_item.html", {"n": notification, "oob_badge": True})
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = actions.mark_read(request.user, "all")
    if _is_htmx(request):
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    messages.success(request, f"已将 {count} 条消息标为已读" if count else "没有未读消息")
    return redirect("notifications:inbox")


@page("notifications:preferences")
def preferences(request: HttpRequest) -> HttpResponse:
    pref = actions.preference_for(request.user)
    if request.method == "POST":
        data = request.POST.copy()
        # Fields of channels not offered here keep what was saved.
        data.setdefault("email", pref.email)
        data.setdefault("wecom_webhook", pref.wecom_webhook)
        form = PreferenceForm(data)
        if form.is_valid():
            try:
                actions.set_preference(request.user, **form.cleaned_data, acting_user=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "通知设置已保存")
                return redirect("notifications:preferences")
    else:
        form = PreferenceForm(
            initial={
                "mode": pref.mode,
                "digest_hour": pref.digest_hour,
                "channels": pref.channels,
                "email": pref.email,
                "wecom_webhook": pref.wecom_webhook,
            }
        )
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "pref": pref, "channels": ch.configured(), "Mode": Mode},
    )
