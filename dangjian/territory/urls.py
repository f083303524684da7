from django.urls import path

from dangjian.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.browser, name="browser"),
    path("grids.geojson", views.grids_geojson, name="grids_geojson"),
    path("locate/", views.locate, name="locate"),
    path("<int:pk>/", views.node_detail, name="node_detail"),
    path("<int:pk>/children/", views.children, name="children"),
]
