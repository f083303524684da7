"""Pages of the smart dispatch (mounted under /dispatch/)."""

from django.urls import URLPattern, URLResolver, path

from dangjian.dispatch import views

app_name = "dispatch"
urlpatterns: list[URLPattern | URLResolver] = [
    path("case/<int:pk>/apply/", views.apply, name="apply"),
    path("case/<int:pk>/override/", views.override, name="override"),
    path("case/<int:pk>/merge/", views.merge, name="merge"),
    path("rules/", views.rules, name="rules"),
    path("hotspots/", views.hotspot_list, name="hotspots"),
]
