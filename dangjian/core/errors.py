"""The site's own error pages (400, 403, 404, 500 and the CSRF failure), in Chinese.

Wired in ``dangjian/urls.py`` (``handler400`` …) and ``settings.CSRF_FAILURE_VIEW``. Every
page renders from ``templates/<code>.html`` without the request's context processors: the
menu and the unread badge query the database, and the 500 page must show even when the
database is the reason for the error. The CSP nonce is read from the request (it needs no
database). /api/ and /open311/ keep their JSON errors: JsonErrorsMiddleware replaces these
HTML pages on those paths.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    # A plain context, not render(request=…): no context processor runs. ``request`` is there
    # for its CSP nonce only (request.csp_nonce, as in every template).
    context = {"PLATFORM_NAME": settings.PLATFORM_NAME, "request": request}
    body = loader.get_template(template).render(context)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    return _page(request, "403_csrf.html", 403)
