from django.urls import URLPattern, URLResolver, path

from dangjian.service import views as v

app_name = "service"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", v.mine, name="mine"),
    path("register/", v.register, name="register"),
    path("registrations/<int:pk>/end/", v.end_registration, name="end_registration"),
    path("posts/", v.posts, name="posts"),
    path("posts/new/", v.post_new, name="post_new"),
    path("posts/<int:pk>/claim/", v.claim, name="claim"),
    path("posts/<int:pk>/rota/", v.rota, name="rota"),
    path("posts/<int:pk>/rota/generate/", v.rota_generate, name="rota_generate"),
    path("claims/<int:pk>/release/", v.release, name="release"),
    path("records/new/", v.record_new, name="record_new"),
    path("photos/<int:pk>/", v.photo, name="photo"),
    path("queue/", v.queue, name="queue"),
    path("queue/<str:what>/<int:pk>/", v.decide, name="decide"),
    path("units/<int:pk>/", v.unit_page, name="unit"),
    path("report/", v.report, name="report"),
    path("figures/", v.figures_page, name="figures"),
    path("teams/", v.teams, name="teams"),
    path("activities/<int:pk>/", v.activity_fire, name="activity_fire"),
]
