from django.urls import path

from dangjian.interop import views

app_name = "interop"
urlpatterns = [
    path("keys/", views.keys, name="keys"),
    path("keys/<int:pk>/revoke/", views.revoke, name="revoke"),
]
