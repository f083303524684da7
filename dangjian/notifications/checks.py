from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_channels(app_configs: Any, **kwargs: Any) -> list[Error]:
    from dangjian.notifications.channels import BACKENDS

    unknown = [n for n in settings.NOTIFICATION_CHANNELS if n not in BACKENDS]
    if not unknown:
        return []
    return [
        Error(
            f"NOTIFICATION_CHANNELS 含未知渠道：{'、'.join(unknown)}",
            hint="可用：" + ", ".join(BACKENDS),
            id="notifications.E001",
        )
    ]
