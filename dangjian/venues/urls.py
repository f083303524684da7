from django.urls import path

from dangjian.venues import views

app_name = "venues"
urlpatterns = [
    path("", views.position_list, name="position_list"),
    path("export/", views.position_export, name="position_export"),
    path("<int:pk>/", views.position_detail, name="position_detail"),
]
