"""Staff pages of appeals (mounted under /appeals/staff/)."""

from django.urls import path

from dangjian.appeals import views_staff

urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("case/<int:pk>/", views_staff.case_detail, name="case"),
    path("case/<int:pk>/do/<str:action>/", views_staff.case_action, name="case_action"),
    path("case/<int:pk>/reveal/", views_staff.case_reveal, name="case_reveal"),
    path("case/<int:pk>/send-link/", views_staff.case_send_link, name="case_send_link"),
    path("street-tasks/", views_staff.street_tasks, name="street_tasks"),
    path("hotline/", views_staff.hotline_import, name="hotline_import"),
    path("hotline/template/", views_staff.hotline_template, name="hotline_template"),
    path("hotline/jobs/<int:pk>/", views_staff.hotline_job, name="hotline_job"),
]
