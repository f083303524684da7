"""Staff pages of appeals (mounted under /appeals/staff/)."""

from django.urls import path

from dangjian.appeals import views_staff

urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("case/<int:pk>/", views_staff.case_detail, name="case"),
    path("case/<int:pk>/do/<str:action>/", views_staff.case_action, name="case_action"),
    path("case/<int:pk>/reveal/", views_staff.case_reveal, name="case_reveal"),
    path("street-tasks/", views_staff.street_tasks, name="street_tasks"),
]
