from django.urls import URLPattern, URLResolver, path

from dangjian.needs import views as v

app_name = "needs"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.wall, name="wall"),
    path("wall/<int:community>/", v.wall, name="wall_of"),
    path("new/", v.new, name="new"),
    path("mine/", v.mine, name="mine"),
    path("queue/", v.queue, name="queue"),
    path("campaign/", v.campaign, name="campaign"),
    path("ledger/", v.ledger, name="ledger"),
    path("ledger.xlsx", v.ledger_export, name="ledger_export"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/act/", v.act, name="act"),
    path("photo/<int:pk>/", v.photo, name="photo"),
]
