from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "dangjian.intel"
    label = "intel"
    verbose_name = "智能分类"
