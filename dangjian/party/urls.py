from django.urls import path

from dangjian.party import views

app_name = "party"
urlpatterns = [
    path("", views.org_tree, name="org_tree"),
    path("orgs/export/", views.org_export, name="org_export"),
    path("orgs/<int:pk>/", views.org_detail, name="org_detail"),
    path("members/", views.member_list, name="member_list"),
    path("members/export/", views.member_export, name="member_export"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
]
