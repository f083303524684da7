"""Appeal pages: the resident side, the staff side and the figures, each in its own module."""

from django.urls import include, path

app_name = "appeals"
urlpatterns = [
    path("", include("dangjian.appeals.urls_public")),
    path("staff/", include("dangjian.appeals.urls_staff")),
    path("figures/", include("dangjian.appeals.urls_figures")),
]
