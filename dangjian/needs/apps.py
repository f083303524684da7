from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "dangjian.needs"
    label = "needs"
    verbose_name = "红绳心愿"
