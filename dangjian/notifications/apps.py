from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dangjian.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from dangjian.notifications import checks  # noqa: F401 - registers the system check
