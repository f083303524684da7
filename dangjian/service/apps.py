from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "dangjian.service"
    label = "service"
    verbose_name = "双报到与志愿服务"

    def ready(self) -> None:
        from dangjian.notifications import kinds
        from dangjian.service import selectors  # noqa: F401 - registers the linked members (privacy)

        # The two notification kinds of actions.py: to a volunteer, and to the community.
        kinds.register("service", "志愿服务", {"person": "志愿服务", "community": "双报到待办"})
