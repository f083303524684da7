from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "dangjian.appeals"
    label = "appeals"
    verbose_name = "诉求办理"

    def ready(self) -> None:
        from dangjian.appeals import selectors  # noqa: F401 - registers the linked residents (privacy)
        from dangjian.appeals.choices import Event
        from dangjian.notifications import kinds

        # What the inbox calls each notification kind of the appeal loop (events.py, timers.py).
        kinds.register(
            "appeal",
            "诉求",
            {
                **{e.value: f"诉求{e.label}" for e in Event},
                "remind_ack": "签收提醒",
                "remind_resolve": "办结提醒",
                "remind_report_in": "报到提醒",
                "remind_task": "任务提醒",
                "task_escalated": "报到超时督促",
                "supervise": "超期督办",
                "link": "诉求查询链接",
            },
        )
