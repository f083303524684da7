from django.apps import AppConfig


class VenuesConfig(AppConfig):
    name = "dangjian.venues"
    label = "venues"
    verbose_name = "服务阵地"
