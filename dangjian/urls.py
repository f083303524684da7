from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from dangjian.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("dangjian.dashboard.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("territory/", include("dangjian.territory.urls")),
    path("party/", include("dangjian.party.urls")),
    path("people/", include("dangjian.people.urls")),
    path("units/", include("dangjian.units.urls")),
    path("venues/", include("dangjian.venues.urls")),
    path("exchange/", include("dangjian.exchange.urls")),
    path("notifications/", include("dangjian.notifications.urls")),
    path("appeals/", include("dangjian.appeals.urls")),
    path("dispatch/", include("dangjian.dispatch.urls")),
    path("needs/", include("dangjian.needs.urls")),
    path("service/", include("dangjian.service.urls")),
    path("points/", include("dangjian.points.urls")),
    path("open311/v2/", include("dangjian.appeals.open311.urls")),
    path("interop/", include("dangjian.interop.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on their own; the icon itself is an SVG (linked in base.html).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
]

# Our own error pages, in Chinese, with a way back (dangjian/core/errors.py).
handler400 = "dangjian.core.errors.bad_request"
handler403 = "dangjian.core.errors.permission_denied"
handler404 = "dangjian.core.errors.page_not_found"
handler500 = "dangjian.core.errors.server_error"

if settings.BENCH_ENDPOINTS:  # the benchmark's bare baseline (bench/appeals_intake.py)
    from dangjian.core.bench_views import bare_insert

    urlpatterns.append(path("_bench/insert", bare_insert, name="bench-insert"))
