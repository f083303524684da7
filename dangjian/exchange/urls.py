from django.urls import path

from dangjian.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.import_page, name="import"),
    path("template/<str:kind>/", views.template_download, name="template"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
]
