from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "dangjian.needs"
    label = "needs"
    verbose_name = "红绳心愿"

    def ready(self) -> None:
        from dangjian.needs.choices import Event
        from dangjian.notifications import kinds

        # What the inbox calls each notification kind of the needs (events.py, timers.py).
        kinds.register(
            "needs",
            "心愿",
            {
                **{e.value: f"心愿{e.label}" for e in Event},
                "submit": "心愿待审核",
                "unclaimed": "心愿无人接单",
            },
        )
