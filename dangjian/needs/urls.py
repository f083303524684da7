from django.urls import URLPattern, URLResolver

app_name = "needs"
urlpatterns: list[URLPattern | URLResolver] = []
