from django.apps import AppConfig


class PointsConfig(AppConfig):
    name = "dangjian.points"
    label = "points"
    verbose_name = "积分与时间银行"
