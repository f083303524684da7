"""The resident side: report, nearby cases, the private tracking link, 我的诉求, photos."""

from django.urls import path

from dangjian.appeals import views_public as v

urlpatterns = [
    path("report/", v.report, name="report"),
    path("enterprise/", v.report_enterprise, name="report_enterprise"),
    path("report/categories/", v.categories, name="categories"),
    path("report/grids.geojson", v.grids, name="report_grids"),
    path("report/nearby/", v.nearby_cases, name="nearby"),
    path("submitted/<str:number>/", v.submitted, name="submitted"),
    path("t/<str:token>/", v.track, name="track"),
    path("t/<str:token>/rate/", v.rate, name="rate"),
    path("mine/", v.mine, name="mine"),
    path("c/<str:number>/", v.public_case, name="public_case"),
    path("c/<str:number>/follow/", v.follow, name="follow"),
    path("photo/<int:pk>/", v.photo, name="photo"),
]
