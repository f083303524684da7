"""The site's URLs plus three views that fail, for the error-page tests."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from dangjian.urls import handler400, handler403, handler404, handler500, urlpatterns

SECRET = "boom-internal-detail-42"


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET)


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET)


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest(SECRET)


urlpatterns = [
    path("_test/boom/", boom),
    path("_test/forbidden/", forbidden),
    path("_test/bad/", bad),
    path("api/v1/_test/boom/", boom),
    *urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
