from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "dangjian.dispatch"
    label = "dispatch"
    verbose_name = "分类派遣"
