from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "dangjian.service"
    label = "service"
    verbose_name = "双报到与志愿服务"
