from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "dangjian.territory"
    label = "territory"
    verbose_name = "区域与网格"
