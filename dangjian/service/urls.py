from django.urls import URLPattern, URLResolver

app_name = "service"
urlpatterns: list[URLPattern | URLResolver] = []
