from django.urls import path

from dangjian.people import views

app_name = "people"
urlpatterns = [
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/export/", views.resident_export, name="resident_export"),
    path("grid-workers/", views.grid_worker_list, name="grid_worker_list"),
    path("grid-workers/export/", views.grid_worker_export, name="grid_worker_export"),
    path("community-workers/", views.community_worker_list, name="community_worker_list"),
    path("community-workers/export/", views.community_worker_export, name="community_worker_export"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("me/", views.me, name="me"),
]
