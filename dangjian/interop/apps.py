from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "dangjian.interop"
    label = "interop"
    verbose_name = "开放接口"
