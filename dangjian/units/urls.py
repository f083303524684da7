from django.urls import path

from dangjian.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("export/", views.unit_export, name="unit_export"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
]
